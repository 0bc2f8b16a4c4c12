using System.Text.Json;
using Myna.Tests.Cli;
using Myna.Tests.Evaluation.Chrf;

namespace Myna.Tests.Evaluation.Cli;

/// <summary>Output shapes, options and errors of <c>myna eval chrf</c>; scores checked against sacreBLEU's.</summary>
public class EvalChrfCommandTests
{
    private static ChrfPeerCaseTests.ChrfCase Case(string id) => ChrfPeerCaseTests.AllCases().Single(c => c.Id == id);

    private static string[] Args(TempFiles files, ChrfPeerCaseTests.ChrfCase c, params string[] extra) =>
        ["eval", "chrf", "--hyp", files.Lines(c.Hyps), .. c.Refs.SelectMany(r => new[] { "--ref", files.Lines(r) }), .. extra];

    [Fact]
    public void HumanOutputHasTheScoreLineTableAndSignature()
    {
        using var files = new TempFiles();
        var c = Case("derived/wmt/chrF2");
        CliRun run = CliRun.Of(Args(files, c));
        Assert.True(run.ExitCode == 0, run.Error);
        double expected = c.Expected.GetProperty("score").GetDouble();
        Assert.Contains($"chrF2 = {expected.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)}", run.Output);
        Assert.Contains("signature: nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0", run.Output);
        Assert.Contains("char 6", run.Output);
    }

    [Theory]
    [InlineData("derived/wmt-2refs/chrF2++", "--word-order", "2")]
    [InlineData("derived/zh/chrF2++ lowercase", "--word-order", "2", "--lowercase")]
    [InlineData("derived/punct-2refs/chrF3 nc4 nw1", "--char-order", "4", "--word-order", "1", "--beta", "3")]
    [InlineData("derived/punct/chrF2++ eps", "--word-order", "2", "--eps-smoothing")]
    [InlineData("derived/zh/chrF1++ whitespace lowercase", "--word-order", "2", "--beta", "1", "--whitespace", "-lc")]
    public void JsonMatchesSacreBleuAndOptionsReachTheSignature(string id, params string[] options)
    {
        using var files = new TempFiles();
        var c = Case(id);
        CliRun run = CliRun.Of(Args(files, c, [.. options, "--json"]));
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal("", run.Error);
        using JsonDocument json = JsonDocument.Parse(run.Output);
        JsonElement root = json.RootElement;
        Assert.Equal(["name", "score", "statistics", "signature"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(c.Expected.GetProperty("name").GetString(), root.GetProperty("name").GetString());
        Assert.Equal(c.Expected.GetProperty("score").GetDouble(), root.GetProperty("score").GetDouble());
        Assert.Equal(c.Expected.GetProperty("signature").GetString(), root.GetProperty("signature").GetString());
        Assert.Equal(c.Expected.GetProperty("statistics").EnumerateArray().Select(x => x.GetInt64()),
            root.GetProperty("statistics").EnumerateArray().Select(x => x.GetInt64()));
    }

    [Fact]
    public void SentenceModeGivesEveryLineAndTheCorpus()
    {
        using var files = new TempFiles();
        var c = Case("derived/wmt-2refs/chrF2");
        CliRun run = CliRun.Of(Args(files, c, "--sentence", "--json"));
        Assert.True(run.ExitCode == 0, run.Error);
        using JsonDocument json = JsonDocument.Parse(run.Output);
        Assert.Equal("nrefs:2|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0", json.RootElement.GetProperty("signature").GetString());
        Assert.Equal(c.Expected.GetProperty("sentence_scores").EnumerateArray().Select(x => x.GetDouble()),
            json.RootElement.GetProperty("sentences").EnumerateArray().Select(s => s.GetProperty("score").GetDouble()));
        Assert.Equal(c.Expected.GetProperty("score").GetDouble(), json.RootElement.GetProperty("corpus").GetProperty("score").GetDouble());

        CliRun human = CliRun.Of(Args(files, c, "--sentence"));
        Assert.Equal(0, human.ExitCode);
        Assert.Contains("corpus chrF2 = ", human.Output);
    }

    [Fact]
    public void LinesAreRightStrippedAsSacreBleuReadsThem()
    {
        // With white space kept in n-grams, a trailing "\r" or space would count; sacreBLEU's command strips it.
        using var files = new TempFiles();
        CliRun crlf = CliRun.Of("eval", "chrf", "--hyp", files.Bytes("a b c \r\n"u8.ToArray()), "--ref", files.Lines(["a b c"]), "--whitespace", "--json");
        Assert.True(crlf.ExitCode == 0, crlf.Error);
        using JsonDocument json = JsonDocument.Parse(crlf.Output);
        Assert.Equal(100.0, json.RootElement.GetProperty("score").GetDouble());
    }

    [Fact]
    public void BadFilesAreOneLineInputErrors()
    {
        using var files = new TempFiles();
        string good = files.Lines(["a b", "c d"]);
        CliRun mismatch = CliRun.Of("eval", "chrf", "--hyp", good, "--ref", files.Lines(["a b"]));
        Assert.Equal(1, mismatch.ExitCode);
        Assert.Contains("has 2 lines but --ref", mismatch.Error);
        CliRun empty = CliRun.Of("eval", "chrf", "--hyp", good, "--ref", files.Bytes([]));
        Assert.Equal(1, empty.ExitCode);
        Assert.Contains("is empty", empty.Error);
        CliRun broken = CliRun.Of("eval", "chrf", "--hyp", files.Bytes([(byte)'a', 0xC3, (byte)'\n']), "--ref", files.Lines(["a"]));
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("not valid UTF-8", broken.Error);
        CliRun missing = CliRun.Of("eval", "chrf", "--hyp", files.Missing, "--ref", good);
        Assert.Equal(1, missing.ExitCode);
        foreach (CliRun run in new[] { mismatch, empty, broken, missing })
            Assert.StartsWith("error: ", Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Theory]
    [InlineData("--hyp", "HYP")]
    [InlineData("--hyp", "HYP", "--ref", "HYP", "--word-order", "-1")]
    [InlineData("--hyp", "HYP", "--ref", "HYP", "--char-order", "0")]
    [InlineData("--hyp", "HYP", "--ref", "HYP", "--beta", "x")]
    public void UsageErrorsAreOneLineWithExitCode2(params string[] args)
    {
        using var files = new TempFiles();
        string hyp = files.Lines(["a"]);
        CliRun run = CliRun.Of(["eval", "chrf", .. args.Select(a => a == "HYP" ? hyp : a)]);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Output);
        Assert.StartsWith("error: ", Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }
}
