using Myna.Evaluation.Tasks;

namespace Myna.Evaluation.Comparison;

/// <summary>Everything `myna compare` measures about one model.</summary>
/// <param name="Name">How tables, charts and the recommendation call the model: <c>--name</c>, or the fewest trailing path segments that tell it apart (<see cref="ComparisonNames"/>).</param>
/// <param name="Directory">Where the model was loaded from.</param>
/// <param name="Parameters">Parameter count.</param>
/// <param name="FileBytes">Size of model.safetensors on disk.</param>
/// <param name="MemoryBytes">Memory the model needs to serve one sequence: weights in memory plus a full-context KV cache and working buffers (allocated sizes, not an estimate).</param>
/// <param name="Prefill">Prompt processing speed, one prefill of <see cref="ComparisonOptions.PromptTokens"/> tokens per timed run.</param>
/// <param name="Decode">Generation speed at batch 1, greedy, <see cref="ComparisonOptions.NewTokens"/> tokens per timed run.</param>
/// <param name="Perplexity">Perplexity on the comparison text.</param>
/// <param name="Task">Task scores.</param>
public sealed record ModelMeasurement(
    string Name, string Directory, long Parameters, long FileBytes, long MemoryBytes,
    SpeedSamples Prefill, SpeedSamples Decode, double Perplexity, TaskSummary Task)
{
    /// <summary>Best prefill speed over the timed runs.</summary>
    public double PrefillTokensPerSecond => Prefill.Best;

    /// <summary>Best decode speed over the timed runs.</summary>
    public double DecodeTokensPerSecond => Decode.Best;
}
