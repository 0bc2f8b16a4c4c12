namespace Myna.Apps.Recommendation;

/// <summary>The evaluation protocol of SASRec and BERT4Rec on MovieLens, every setting once with its reason.</summary>
public sealed record RecommendationProtocol
{
    /// <summary>Users with fewer interactions are left out (5: SASRec's and BERT4Rec's filter).</summary>
    public int MinInteractions { get; init; } = 5;

    /// <summary>The most recent interactions a history keeps (200: SASRec's maximum length for MovieLens).</summary>
    public int HistoryCap { get; init; } = 200;

    /// <summary>The cut-off of HR, NDCG and coverage (10: the papers' figures).</summary>
    public int Cutoff { get; init; } = 10;

    /// <summary>Negatives drawn per user for the sampled metrics (100: SASRec's protocol, reported for comparison only).</summary>
    public int SampledNegatives { get; init; } = 100;

    /// <summary>Paired-bootstrap resamples of the users (1000: a stable 95% interval in well under a second).</summary>
    public int BootstrapResamples { get; init; } = 1000;

    /// <summary>Seed of the negative samples and the bootstrap (42: any fixed value makes the figures repeatable).</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Share of training interactions the most popular items hold before the rest count as the long tail (0.8: the Pareto split).</summary>
    public double HeadShare { get; init; } = 0.8;

    /// <summary>Refuses settings no evaluation can use.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (MinInteractions < 3) throw new ArgumentException("leave-one-out needs at least 3 interactions per user (train, validation, test).");
        if (HistoryCap < 1) throw new ArgumentException("the history cap must be at least 1.");
        if (Cutoff < 1) throw new ArgumentException("the cut-off must be at least 1.");
        if (SampledNegatives < 1) throw new ArgumentException("the sampled metrics need at least 1 negative.");
        if (BootstrapResamples < 100) throw new ArgumentException("the bootstrap needs at least 100 resamples.");
        if (!(HeadShare > 0 && HeadShare < 1)) throw new ArgumentException("the head share must be in (0, 1).");
    }
}
