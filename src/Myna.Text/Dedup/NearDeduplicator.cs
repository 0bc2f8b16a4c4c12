using System.Runtime.InteropServices;
using Myna.Text.Cleaning;

namespace Myna.Text.Dedup;

/// <summary>Near-duplicate detection with MinHash signatures over word-unit shingles and locality-sensitive hashing
/// (banding) to find candidates, each confirmed by its estimated Jaccard similarity. Deterministic: documents are
/// compared with earlier documents only, and every hash is seeded.</summary>
public sealed class NearDeduplicator
{
    private readonly MinHashOptions _options;
    private readonly ulong[] _seeds;
    // LSH buckets as linked lists in flat arrays (a List per bucket costs ~100 bytes; this costs ~28): entry e is
    // document e / Bands in band e % Bands; _head maps a band key to its newest entry, _next[e] to the one before.
    private readonly Dictionary<ulong, int> _head = [];
    private readonly List<int> _next = [];
    // Signatures of kept documents, back to back: document d is _signatures[d * Permutations ..].
    private uint[] _signatures = new uint[1024];
    private int _documents;

    /// <summary>Creates a detector; the banding is chosen from the threshold (<see cref="ChooseBands"/>).</summary>
    public NearDeduplicator(MinHashOptions options)
    {
        if (options.Threshold is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(options), "threshold must be in (0, 1]");
        _options = options;
        _seeds = new ulong[options.Permutations];
        ulong state = options.Seed;
        for (int i = 0; i < _seeds.Length; i++) _seeds[i] = SplitMix64(ref state);
        (Bands, Rows) = ChooseBands(options.Threshold, options.Permutations);
    }

    /// <summary>Number of LSH bands.</summary>
    public int Bands { get; }

    /// <summary>Signature rows per band.</summary>
    public int Rows { get; }

    /// <summary>True if an earlier document is a near duplicate of this one (then <paramref name="similarity"/> is the
    /// estimated Jaccard similarity); otherwise remembers this document and returns false.</summary>
    public bool IsDuplicate(string text, out double similarity) => IsDuplicate(Signature(text), out similarity);

    /// <summary>As <see cref="IsDuplicate(string, out double)"/> for a precomputed <see cref="Signature"/> (signatures
    /// can be computed in parallel — <see cref="Signature"/> is thread-safe; decisions must be taken in document order).</summary>
    public bool IsDuplicate(uint[] signature, out double similarity)
    {
        int permutations = signature.Length;
        similarity = 0;
        var keys = new ulong[Bands];
        var checkedCandidates = new HashSet<int>();
        for (int band = 0; band < Bands; band++)
        {
            keys[band] = BandKey(signature, band);
            if (!_head.TryGetValue(keys[band], out int entry)) continue;
            for (; entry >= 0; entry = _next[entry])
            {
                int candidate = entry / Bands;
                if (!checkedCandidates.Add(candidate)) continue;
                double estimate = Similarity(signature, _signatures.AsSpan(candidate * permutations, permutations));
                if (estimate >= _options.Threshold)
                {
                    similarity = estimate;
                    return true;
                }
            }
        }

        int id = _documents++;
        if ((long)_documents * permutations > _signatures.Length) Array.Resize(ref _signatures, Math.Max(_signatures.Length * 2, _documents * permutations));
        signature.CopyTo(_signatures, id * permutations);
        for (int band = 0; band < Bands; band++)
        {
            ref int head = ref CollectionsMarshal.GetValueRefOrAddDefault(_head, keys[band], out bool exists);
            _next.Add(exists ? head : -1);
            head = id * Bands + band;
        }
        return false;
    }

    /// <summary>The MinHash signature of <paramref name="text"/>: for each permutation, the minimum over shingles (word-unit
    /// n-gram hashes) of a seeded 64-bit mix of the shingle hash, truncated to 32 bits for storage.</summary>
    public uint[] Signature(string text)
    {
        var mins = new ulong[_seeds.Length];
        Array.Fill(mins, ulong.MaxValue);
        List<ulong> units = WordUnits.Hashes(text);
        int n = Math.Min(_options.ShingleSize, Math.Max(1, units.Count));
        int shingles = units.Count == 0 ? 1 : units.Count - n + 1;
        ReadOnlySpan<ulong> seeds = _seeds;
        Span<ulong> minimum = mins;
        for (int start = 0; start < shingles; start++)
        {
            ulong shingle = units.Count == 0 ? 0 : WordUnits.NgramHash(units, start, n);
            for (int i = 0; i < seeds.Length; i++)
            {
                ulong h = WordUnits.Mix(shingle ^ seeds[i]);
                if (h < minimum[i]) minimum[i] = h;
            }
        }
        var signature = new uint[mins.Length];
        for (int i = 0; i < mins.Length; i++) signature[i] = (uint)(mins[i] >> 32);
        return signature;
    }

    /// <summary>Fraction of equal signature entries: the MinHash estimate of Jaccard similarity.</summary>
    public static double Similarity(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b)
    {
        int equal = 0;
        for (int i = 0; i < a.Length; i++) if (a[i] == b[i]) equal++;
        return (double)equal / a.Length;
    }

    /// <summary>Chooses (bands, rows) with bands·rows ≤ permutations that minimises the sum of the false-positive and
    /// false-negative probability mass around <paramref name="threshold"/> (the method of datasketch's MinHashLSH).</summary>
    public static (int Bands, int Rows) ChooseBands(double threshold, int permutations)
    {
        double best = double.MaxValue;
        (int, int) choice = (1, permutations);
        for (int b = 1; b <= permutations; b++)
        {
            for (int r = 1; b * r <= permutations; r++)
            {
                double falsePositive = Integrate(s => 1 - Math.Pow(1 - Math.Pow(s, r), b), 0, threshold);
                double falseNegative = Integrate(s => Math.Pow(1 - Math.Pow(s, r), b), threshold, 1);
                double error = 0.5 * falsePositive + 0.5 * falseNegative;
                if (error < best - 1e-12)
                {
                    best = error;
                    choice = (b, r);
                }
            }
        }
        return choice;
    }

    private static double Integrate(Func<double, double> f, double a, double b)
    {
        const int Steps = 200; // midpoint rule: the curves are smooth, 200 steps is far below the choice's sensitivity
        double h = (b - a) / Steps, sum = 0;
        for (int i = 0; i < Steps; i++) sum += f(a + (i + 0.5) * h);
        return sum * h;
    }

    private ulong BandKey(uint[] signature, int band)
    {
        ReadOnlySpan<uint> rows = signature.AsSpan(band * Rows, Rows);
        return System.IO.Hashing.XxHash3.HashToUInt64(MemoryMarshal.AsBytes(rows), (long)band);
    }

    private static ulong SplitMix64(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        // SplitMix64: x ^ seed → Mix is a different pseudo-random permutation of 64-bit values per seed.
        return WordUnits.Mix(state);
    }
}
