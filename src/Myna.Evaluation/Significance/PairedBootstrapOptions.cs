namespace Myna.Evaluation.Significance;

/// <summary>How the paired bootstrap test runs; every default is sacreBLEU's <c>--paired-bs</c> default.</summary>
public sealed record PairedBootstrapOptions
{
    /// <summary>Bootstrap resamples (sacreBLEU's <c>--paired-bs-n</c>); 1,000 as Koehn (2004) and sacreBLEU.</summary>
    public int Resamples { get; init; } = 1000;

    /// <summary>Seed of the resampling generator (sacreBLEU's <c>SACREBLEU_SEED</c>, default 12345), so that runs repeat.</summary>
    public ulong Seed { get; init; } = 12345;

    /// <summary>Checks the options; returns them.</summary>
    /// <exception cref="ArgumentException">Fewer than one resample.</exception>
    public PairedBootstrapOptions Validate()
    {
        if (Resamples < 1) throw new ArgumentException($"the number of resamples must be at least 1, not {Resamples}");
        return this;
    }
}
