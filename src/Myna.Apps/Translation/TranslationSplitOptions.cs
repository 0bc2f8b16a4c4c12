using Myna.Text.Dedup;

namespace Myna.Apps.Translation;

/// <summary>The rules that make the train, dev and test splits (issue 17), each default once.</summary>
public sealed record TranslationSplitOptions
{
    /// <summary>Longest FAQ paragraph, in English words, that is a test pair: the support domain's question-sized
    /// paragraphs (median 24 words), and short enough to fit the model's context with its translation.</summary>
    public int MaxTestWords { get; init; } = 60;

    /// <summary>Debian Reference pairs held out as dev.</summary>
    public int DevPairs { get; init; } = 300;

    /// <summary>Longest Reference paragraph, in English words, that may be a dev pair: the same bound as test, so dev
    /// measures what test measures and every prompt fits the context.</summary>
    public int MaxDevWords { get; init; } = 60;

    /// <summary>Seed of the dev draw: dev is the <see cref="DevPairs"/> eligible Reference pairs whose ids hash lowest
    /// with this seed, so the choice does not depend on file order or on the runtime's random generator.</summary>
    public string DevSeed { get; init; } = "myna-translate-dev-17";

    /// <summary>Fewest English words a LibreOffice message needs to train on: shorter ones are labels ("Cancel")
    /// whose translation depends on a context the pair does not carry.</summary>
    public int MinLibreOfficeWords { get; init; } = 4;

    /// <summary>Near-duplicate detection over English sources across splits (MinHash, Jaccard ≥ 0.8 over 5-word shingles).</summary>
    public MinHashOptions NearDuplicates { get; init; } = new();
}
