using Myna.Tests.Text.Tokenization;

namespace Myna.Tests.Cli;

public class TokenizeCommandTests
{
    [Fact]
    public void PrintsTheIssueExampleExactly()
    {
        CliRun run = CliRun.Of("tokenize", "--tokenizer", "gpt2", "--text", "Hello, I am a product manager.", "--json");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("{\"ids\":[15496,11,314,716,257,1720,4706,13]}", run.Output.TrimEnd('\n'));
        Assert.Equal("", run.Error);
    }

    [Theory]
    [MemberData(nameof(PeerCases.Encode), MemberType = typeof(PeerCases))]
    public void EncodesPeerCases(PeerCases.Case peer)
    {
        string[] args = peer.SpecialTokens
            ? ["tokenize", "--tokenizer", "gpt2", "--text", peer.Text, "--json", "--include-special"]
            : ["tokenize", "--tokenizer", "gpt2", "--text", peer.Text, "--json"];
        CliRun run = CliRun.Of(args);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal($"{{\"ids\":[{string.Join(',', peer.Ids)}]}}", run.Output.TrimEnd('\n'));
    }

    [Theory]
    [MemberData(nameof(PeerCases.Decode), MemberType = typeof(PeerCases))]
    public void DecodesPeerCases(PeerCases.Case peer)
    {
        CliRun run = CliRun.Of("tokenize", "--tokenizer", "gpt2", "--decode", string.Join(',', peer.Ids));
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(peer.Text + "\n", run.Output);
    }

    [Fact]
    public void HumanOutputShowsEachTokenWithVisibleWhiteSpace()
    {
        CliRun run = CliRun.Of("tokenize", "--text", "Hi  there");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("\" there\"", run.Output);
        Assert.Contains("ids: 17250,220,612", run.Output);
    }
}
