namespace Myna.Evaluation.Comparison;

/// <summary>The speeds one model reached in the timed runs of a comparison, in tokens per second.</summary>
/// <param name="TokensPerSecond">One value per timed run, in the order run.</param>
public sealed record SpeedSamples(IReadOnlyList<double> TokensPerSecond)
{
    /// <summary>The fastest run: what the machine can do when nothing else interferes, the figure compared.</summary>
    public double Best => TokensPerSecond.Count == 0 ? double.NaN : TokensPerSecond.Max();

    /// <summary>The slowest run.</summary>
    public double Slowest => TokensPerSecond.Count == 0 ? double.NaN : TokensPerSecond.Min();

    /// <summary>(best − slowest) / best: how far apart the runs were, as a fraction; 0 for one run.</summary>
    public double Spread => TokensPerSecond.Count == 0 || Best <= 0 ? 0 : (Best - Slowest) / Best;
}
