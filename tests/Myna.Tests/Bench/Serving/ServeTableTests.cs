using System.Diagnostics;
using Myna.Bench.Generation;
using Myna.Bench.Serving;

namespace Myna.Tests.Bench.Serving;

/// <summary>The serve table's lines that read two measurements together: the serving cost, and the engine's drift.</summary>
public class ServeTableTests
{
    [Fact]
    public void ServingCostDividesTheServerByTheSchedulerAloneAtTheSameConcurrency()
    {
        // One request at concurrency 1: 4 tokens over 1 s of wall time = 4 tokens/s; the scheduler alone made 5.
        ModelServeReport model = Model(engineAfterBatch1: 100, schedulerTokensPerSecond: 5);

        string table = Write(model);

        Assert.Contains("serving cost, concurrency 1: server 4.0 ÷ scheduler alone on the same requests 5.0 tok/s = 0.80", table);
    }

    [Fact]
    public void TheTableWarnsOnlyWhenTheEngineMovedMoreThanFifteenPercentDuringTheRun()
    {
        string steady = Write(Model(engineAfterBatch1: 95, schedulerTokensPerSecond: 5));
        string moved = Write(Model(engineAfterBatch1: 70, schedulerTokensPerSecond: 5));

        Assert.Contains("bare engine again after the load runs: batch 1 95.0, batch 8 400.0 tok/s (0.95× and 1.00× the figures above)", steady);
        Assert.DoesNotContain("speed moved", steady);
        Assert.Contains("(0.70× and 1.00× the figures above) — this machine's speed moved during the run", moved);
    }

    private static string Write(ModelServeReport model)
    {
        var report = new ServeReport { Isa = "avx2", Threads = 2, PoolParkedBeforePeer = false, PromptTokens = 3, NewTokens = 4, Models = [model] };
        using var writer = new StringWriter();
        ServeTable.Write(report, writer);
        return writer.ToString();
    }

    private static ModelServeReport Model(double engineAfterBatch1, double schedulerTokensPerSecond)
    {
        static long Ticks(double seconds) => (long)Math.Round(seconds * Stopwatch.Frequency);
        var timing = new CompletionTiming(200, Ticks(0), Ticks(1), [Ticks(0.25), Ticks(0.5), Ticks(0.75), Ticks(1)], 4, true, null);
        LoadRunSummary run = LoadRunSummary.Of([timing], newTokens: 4, concurrency: 1, parallel: 8, maxQueue: 64);
        GenerateResult Engine(double batch1) => new("myna", "f16", 2, 500, batch1, 8, 400, 3, 4, 1000, "avx2");
        return new ModelServeReport
        {
            Model = "m",
            Dtype = "f16",
            Source = "test",
            Shape = "1×8, n_ctx 16",
            Engine = Engine(100),
            EngineAfter = Engine(engineAfterBatch1),
            SchedulerBaseline = [new SchedulerBaselineRun(1, 1, 5, 5 / schedulerTokensPerSecond)],
            Runs = [run],
            Ratios = [],
        };
    }
}
