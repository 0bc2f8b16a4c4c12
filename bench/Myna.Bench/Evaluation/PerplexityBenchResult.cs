namespace Myna.Bench.Evaluation;

/// <summary>
/// The figures <see cref="PerplexityBenchmark"/> reports: the median milliseconds of each method over the rounds, the
/// per-round ratios of <c>eval ppl</c> to the training forward over the same windows (median, best, worst), and the
/// perplexity each method found (they agree to float rounding).
/// </summary>
public sealed record PerplexityBenchResult(
    int Tokens,
    int Window,
    int Stride,
    int Windows,
    long WindowTokens,
    int TrainingBatch,
    int Rounds,
    int Threads,
    string Isa,
    string Dtype,
    double EvalMs,
    double? EngineMs,
    double TrainingForwardMs,
    double TrainingForwardOnceMs,
    double RatioMedian,
    double RatioBest,
    double RatioWorst,
    double EvalPerplexity,
    double? EnginePerplexity,
    double TrainingForwardPerplexity);
