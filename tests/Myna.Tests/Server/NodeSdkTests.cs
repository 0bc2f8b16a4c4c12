using System.Diagnostics;
using System.Text.Json;
using Myna.Server;
using Myna.Tests.Text;
using Xunit.Abstractions;

namespace Myna.Tests.Server;

/// <summary>
/// The official OpenAI Node SDK (the <c>openai</c> npm package pinned in tests/node) against a real server with a key:
/// tests/node/openai-sdk-check.mjs runs chat whole and streamed (with include_usage), completions, and typed errors,
/// and exits non-zero on the first check that fails.
/// </summary>
public sealed class NodeSdkTests(ITestOutputHelper output)
{
    private const string Key = "sk-node-sdk-test";

    /// <summary>Generous for a handful of short requests on a busy 2-core machine; a hung SDK call still ends the test.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    [ExternalToolFact(ExternalTool.NodeOpenAiSdk)]
    public async Task The_OpenAI_Node_SDK_talks_to_myna_serve()
    {
        ExternalTools.Require(ExternalTool.NodeOpenAiSdk);
        var clock = Stopwatch.StartNew();
        // The default model, as `myna serve` serves it without --model: greedy replies are real text.
        string model = Path.Combine(TempFolder.RepositoryRoot(), "models", "myna-default");
        await using RunningServer server = await RunningServer.StartAsync(model, new ServerOptions { ApiKeys = [Key] });

        (int exitCode, string stdout, string stderr) = await ExternalTools.RunNodeAsync(["openai-sdk-check.mjs"], Limit, new Dictionary<string, string>
        {
            ["MYNA_BASE_URL"] = server.OpenAiEndpoint.ToString(),
            ["MYNA_API_KEY"] = Key,
        });
        output.WriteLine($"node check finished in {clock.ElapsedMilliseconds} ms: {stdout}");
        Assert.True(exitCode == 0, $"the Node SDK check failed (exit {exitCode}): {stderr}");

        using JsonDocument summary = JsonDocument.Parse(stdout);
        Assert.Equal(RunningServer.ModelId, summary.RootElement.GetProperty("model").GetString());
        Assert.True(summary.RootElement.GetProperty("chat_usage").GetProperty("completion_tokens").GetInt32() > 0);
        // The chat chunks: the role chunk, one per token at most, the finish chunk and the usage chunk.
        Assert.True(summary.RootElement.GetProperty("stream_chunks").GetInt32() >= 3);
    }
}
