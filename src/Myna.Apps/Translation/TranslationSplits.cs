using System.IO.Hashing;
using System.Text;
using Myna.Text.Dedup;

namespace Myna.Apps.Translation;

/// <summary>The three splits of the parallel text and how they were made.</summary>
/// <param name="Train">Debian Reference pairs not in dev, and LibreOffice messages that pass the filters.</param>
/// <param name="Dev">Debian Reference pairs drawn with <see cref="TranslationSplitOptions.DevSeed"/>.</param>
/// <param name="Test">Debian FAQ pairs of at most <see cref="TranslationSplitOptions.MaxTestWords"/> English words.</param>
/// <param name="Counts">What each rule kept and dropped.</param>
public sealed record TranslationSplits(
    IReadOnlyList<TranslationPair> Train,
    IReadOnlyList<TranslationPair> Dev,
    IReadOnlyList<TranslationPair> Test,
    TranslationSplitCounts Counts)
{
    /// <summary>Makes the splits:
    /// 1. test = FAQ pairs of ≤ MaxTestWords English words (longer FAQ paragraphs are not used at all);
    /// 2. dev = DevPairs Reference pairs of ≤ MaxDevWords words (at most half of those), lowest seeded id hash first;
    /// 3. train = the other Reference pairs and the LibreOffice messages with ≥ MinLibreOfficeWords words and no placeholders;
    /// 4. near-duplicates removed in the order test, dev, train: a pair whose English is a near-duplicate of an earlier
    ///    kept pair is dropped (so dev loses what test has, train what test or dev has, and repeats within train).</summary>
    public static TranslationSplits Build(TranslationData data, TranslationSplitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new TranslationSplitOptions();

        // 1. Test.
        var test = data.FaqPairs.Where(p => p.SourceWords <= options.MaxTestWords).ToList();

        // 2. Dev.
        var eligible = data.ReferencePairs.Where(p => p.SourceWords <= options.MaxDevWords).ToList();
        // Never more than half the eligible pairs, so that a small data folder still leaves Reference text to train on.
        int devPairs = Math.Min(options.DevPairs, eligible.Count / 2);
        var devIds = eligible.OrderBy(p => SeededHash(options.DevSeed, p.Id)).ThenBy(p => p.Id, StringComparer.Ordinal)
            .Take(devPairs).Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var dev = data.ReferencePairs.Where(p => devIds.Contains(p.Id)).ToList();

        // 3. Train.
        var referenceTrain = data.ReferencePairs.Where(p => !devIds.Contains(p.Id)).ToList();
        int shortMessages = data.LibreOfficePairs.Count(p => p.SourceWords < options.MinLibreOfficeWords);
        int placeholderMessages = data.LibreOfficePairs.Count(p => p.SourceWords >= options.MinLibreOfficeWords && MessagePlaceholders.Contains(p.Source));
        var messages = data.LibreOfficePairs.Where(p => p.SourceWords >= options.MinLibreOfficeWords && !MessagePlaceholders.Contains(p.Source)).ToList();

        // 4. Near-duplicates, in split order.
        var detector = new NearDeduplicator(options.NearDuplicates);
        int testDuplicates = Deduplicate(detector, test, out List<TranslationPair> keptTest);
        int devDuplicates = Deduplicate(detector, dev, out List<TranslationPair> keptDev);
        int referenceDuplicates = Deduplicate(detector, referenceTrain, out List<TranslationPair> keptReference);
        int messageDuplicates = Deduplicate(detector, messages, out List<TranslationPair> keptMessages);

        var counts = new TranslationSplitCounts
        {
            FaqPairs = data.FaqPairs.Count,
            FaqTooLong = data.FaqPairs.Count - test.Count,
            ReferencePairs = data.ReferencePairs.Count,
            LibreOfficePairs = data.LibreOfficePairs.Count,
            LibreOfficeTooShort = shortMessages,
            LibreOfficeWithPlaceholders = placeholderMessages,
            TestNearDuplicates = testDuplicates,
            DevNearDuplicates = devDuplicates,
            TrainReferenceNearDuplicates = referenceDuplicates,
            TrainLibreOfficeNearDuplicates = messageDuplicates,
            Test = keptTest.Count,
            Dev = keptDev.Count,
            TrainReference = keptReference.Count,
            TrainLibreOffice = keptMessages.Count,
        };
        return new TranslationSplits([.. keptReference, .. keptMessages], keptDev, keptTest, counts);
    }

    /// <summary>The split named <c>train</c>, <c>dev</c> or <c>test</c>.</summary>
    /// <exception cref="ArgumentException">Another name.</exception>
    public IReadOnlyList<TranslationPair> Named(string split) => split.ToLowerInvariant() switch
    {
        "train" => Train,
        "dev" => Dev,
        "test" => Test,
        _ => throw new ArgumentException($"unknown split '{split}': use train, dev or test.", nameof(split)),
    };

    private static int Deduplicate(NearDeduplicator detector, List<TranslationPair> pairs, out List<TranslationPair> kept)
    {
        kept = new List<TranslationPair>(pairs.Count);
        foreach (TranslationPair pair in pairs)
        {
            if (!detector.IsDuplicate(pair.Source, out _)) kept.Add(pair);
        }
        return pairs.Count - kept.Count;
    }

    private static ulong SeededHash(string seed, string id) => XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(seed + "\n" + id));
}
