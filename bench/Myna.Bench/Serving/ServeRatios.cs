namespace Myna.Bench.Serving;

/// <summary>
/// The figures the targets compare (aggregate output tokens/s unless said otherwise; null where not measured),
/// and the ratios between them.
/// </summary>
/// <param name="Concurrency1">The server at concurrency 1.</param>
/// <param name="Concurrency8">The server at concurrency 8, batching on.</param>
/// <param name="BatchingOff">The server at concurrency 8 with one slot (<c>--parallel 1</c>).</param>
/// <param name="EngineBatch1">The bare engine decoding one sequence.</param>
/// <param name="EngineBatch8">The bare engine decoding eight sequences.</param>
/// <param name="LlamaBatch8">llama.cpp decoding eight sequences (LLamaBatch).</param>
/// <param name="InterferenceP50">Inter-token latency p50 (ms) of the streams a long prompt joined.</param>
/// <param name="InterferenceP99">Their inter-token latency p99 (ms).</param>
public sealed record ServeRatios(double? Concurrency1, double? Concurrency8, double? BatchingOff, double? EngineBatch1, double? EngineBatch8, double? LlamaBatch8,
    double? InterferenceP50, double? InterferenceP99)
{
    /// <summary>Each ratio whose two figures were measured (and the divisor is not zero), with the target.</summary>
    public IReadOnlyList<ServeRatio> Compute()
    {
        var ratios = new List<ServeRatio>();
        void Add(string name, string description, double? numerator, double? denominator, double target, bool atMost = false)
        {
            if (numerator is { } n && denominator is { } d && d > 0) ratios.Add(new ServeRatio(name, description, n / d, target, atMost));
        }
        Add("batching_gain", "concurrency 8 ÷ concurrency 1, output tokens/s", Concurrency8, Concurrency1, 4.0);
        Add("batching_on_vs_off", "concurrency 8: batching on ÷ off (--parallel 1), output tokens/s", Concurrency8, BatchingOff, 3.0);
        Add("server_vs_engine_batch1", "server at concurrency 1 ÷ bare engine batch-1 decode, tokens/s", Concurrency1, EngineBatch1, 0.9);
        Add("server_vs_engine_batch8", "server at concurrency 8 ÷ bare engine batch-8 decode, tokens/s", Concurrency8, EngineBatch8, 0.8);
        Add("server_vs_llama_batch8", "server at concurrency 8 ÷ llama.cpp 8-sequence decode, tokens/s", Concurrency8, LlamaBatch8, 1.5);
        Add("prefill_interference", "inter-token latency p99 ÷ p50 of the running streams a long prompt joins", InterferenceP99, InterferenceP50, 3.0, atMost: true);
        return ratios;
    }
}
