using Xunit.Abstractions;

namespace Myna.Tests.Server;

/// <summary>
/// The playground's DOM-free modules (the SSE reader: reads cut anywhere, CRLF, comments, in-band errors, a cut stream;
/// the Prometheus parser) under Node's test runner: tests/node/playground-modules.test.mjs.
/// </summary>
public sealed class PlaygroundScriptTests(ITestOutputHelper output)
{
    [ExternalToolFact(ExternalTool.Node)]
    public async Task The_page_modules_pass_their_node_tests()
    {
        ExternalTools.Require(ExternalTool.Node);
        (int exitCode, string stdout, string stderr) = await ExternalTools.RunNodeAsync(["--test", "playground-modules.test.mjs"], TimeSpan.FromMinutes(1));
        output.WriteLine(stdout);
        Assert.True(exitCode == 0, $"node --test failed (exit {exitCode}):\n{stdout}\n{stderr}");
        Assert.Contains("# fail 0", stdout);
        Assert.DoesNotContain("# pass 0", stdout);
    }
}
