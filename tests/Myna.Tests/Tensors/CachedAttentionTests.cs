using FsCheck.Xunit;
using Myna.Tensors;

namespace Myna.Tests.Tensors;

public class CachedAttentionTests
{
    /// <summary>The tiers this machine can run: every kernel test runs each of them.</summary>
    public static TheoryData<SimdTier> Tiers => [.. SimdTiers.Supported];

    /// <summary>A random cache of S sequences laid out (S, NH, n_ctx, hs), rows that each see a prefix of one sequence, and the double-precision answer.</summary>
    private sealed record Case(int Rows, int Channels, int Heads, int Context, float[] Qkv, float[] Keys, float[] Values, int[] Start, int[] Length)
    {
        public static Case Random(int seed, int headSize)
        {
            var rng = new Random(seed);
            int heads = rng.Next(1, 4), context = rng.Next(1, 40), sequences = rng.Next(1, 4), rows = rng.Next(1, 6);
            var start = new int[rows];
            var length = new int[rows];
            long block = (long)heads * headSize * context;
            for (int i = 0; i < rows; i++)
            {
                start[i] = (int)(rng.Next(sequences) * block);
                length[i] = rng.Next(1, context + 1);
            }
            return Create(rng, heads, headSize, context, sequences, start, length);
        }

        /// <summary>Rows of the given lengths, each over its own sequence of a cache with n_ctx = the longest.</summary>
        public static Case WithLengths(int seed, int heads, int headSize, params int[] lengths)
        {
            int context = lengths.Max();
            long block = (long)heads * headSize * context;
            int[] start = [.. Enumerable.Range(0, lengths.Length).Select(i => (int)(i * block))];
            return Create(new Random(seed), heads, headSize, context, lengths.Length, start, lengths);
        }

        private static Case Create(Random rng, int heads, int headSize, int context, int sequences, int[] start, int[] length)
        {
            int channels = heads * headSize, rows = start.Length;
            long block = (long)channels * context;
            return new Case(rows, channels, heads, context, KernelTestData.Floats(rng, rows * 3 * channels, 2),
                KernelTestData.Floats(rng, (int)(sequences * block), 2), KernelTestData.Floats(rng, (int)(sequences * block)), start, length);
        }

        public double[] Expected(float[] keys, float[] values)
        {
            int hs = Channels / Heads;
            var y = new double[Rows * Channels];
            for (int i = 0; i < Rows; i++)
            {
                for (int h = 0; h < Heads; h++)
                {
                    long head = Start[i] + (long)h * Context * hs;
                    var scores = new double[Length[i]];
                    for (int j = 0; j < Length[i]; j++)
                    {
                        double dot = 0;
                        for (int c = 0; c < hs; c++) dot += (double)Qkv[i * 3 * Channels + h * hs + c] * keys[head + (long)j * hs + c];
                        scores[j] = dot / Math.Sqrt(hs);
                    }
                    double max = scores.Max(), sum = scores.Sum(s => Math.Exp(s - max));
                    for (int j = 0; j < Length[i]; j++)
                    {
                        double p = Math.Exp(scores[j] - max) / sum;
                        for (int c = 0; c < hs; c++) y[i * Channels + h * hs + c] += p * values[head + (long)j * hs + c];
                    }
                }
            }
            return y;
        }

        public float[] Scores() => new float[Rows * Heads * Length.Max()];

        public (ushort[] Keys, ushort[] Values, float[] RoundedKeys, float[] RoundedValues) Halves()
        {
            var keys = new ushort[Keys.Length];
            var values = new ushort[Values.Length];
            HalfConversion.SingleToHalf(Keys, keys);
            HalfConversion.SingleToHalf(Values, values);
            return (keys, values, Array.ConvertAll(keys, k => (float)BitConverter.UInt16BitsToHalf(k)), Array.ConvertAll(values, v => (float)BitConverter.UInt16BitsToHalf(v)));
        }

        public float[] Run(SimdTier tier, ComputePool? pool = null)
        {
            var y = new float[Rows * Channels];
            CachedAttention.Forward(y, Qkv, Keys, Values, Start, Length, Rows, Channels, Heads, Context, Scores(), tier, pool);
            return y;
        }

        public float[] Run(ushort[] keys, ushort[] values, SimdTier tier, ComputePool? pool = null)
        {
            var y = new float[Rows * Channels];
            CachedAttention.Forward(y, Qkv, keys, values, Start, Length, Rows, Channels, Heads, Context, Scores(), tier, pool);
            return y;
        }
    }

    // Lengths around every batch and register boundary (8 keys; 4, 8, 16 lanes), and a long one.
    private static readonly int[] Lengths = [1, 2, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 300];

    [Theory]
    [MemberData(nameof(Tiers))]
    public void F32CacheMatchesDoublePrecisionAttentionForEveryHeadSize(SimdTier tier)
    {
        foreach (int hs in new[] { 1, 7, 32, 64, 80, 128 })
        {
            Case t = Case.WithLengths(hs, 2, hs, Lengths);
            KernelTestData.AssertClose(t.Expected(t.Keys, t.Values), t.Run(tier), 1e-4, 2e-5, $"{tier} attention hs={hs}");
        }
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public void HalfCacheMatchesAttentionOverTheRoundedValuesForEveryHeadSize(SimdTier tier)
    {
        foreach (int hs in new[] { 1, 7, 32, 64, 80, 128 })
        {
            Case t = Case.WithLengths(100 + hs, 2, hs, Lengths);
            var (keys, values, roundedKeys, roundedValues) = t.Halves();
            KernelTestData.AssertClose(t.Expected(roundedKeys, roundedValues), t.Run(keys, values, tier), 1e-4, 2e-5, $"{tier} half-cache attention hs={hs}");
        }
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public void HalfCacheGivesTheF32CacheResultOverTheRoundedValuesBitForBit(SimdTier tier)
    {
        // The half path reads its cache scaled by 2^-112 and scales the query and the weights by 2^112 instead: exact
        // scalings, so every product and sum must round exactly as over an f32 cache holding the same values.
        foreach (int hs in new[] { 7, 64, 80 })
        {
            Case t = Case.WithLengths(200 + hs, 2, hs, Lengths);
            var (keys, values, roundedKeys, roundedValues) = t.Halves();
            float[] overHalves = t.Run(keys, values, tier);
            Case rounded = t with { Keys = roundedKeys, Values = roundedValues };
            Assert.Equal(rounded.Run(tier), overHalves);
        }
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public void HalfCacheHandlesQueriesTooLargeToScale(SimdTier tier)
    {
        // |q| ≥ 2^15 would overflow when scaled by 2^112: the kernel scales it less and the scores make up for it.
        Case t = Case.WithLengths(11, 2, 32, 1, 9, 40);
        for (int i = 0; i < t.Qkv.Length; i++) t.Qkv[i] *= 1e-3f;
        t.Qkv[5] = 70000f;
        var (keys, values, roundedKeys, roundedValues) = t.Halves();
        KernelTestData.AssertClose(t.Expected(roundedKeys, roundedValues), t.Run(keys, values, tier), 1e-4, 2e-5, $"{tier} large query");
    }

    [Property(MaxTest = 15)]
    public void RandomShapesMatchDoublePrecisionAtEveryTier(int seed)
    {
        foreach (SimdTier tier in SimdTiers.Supported)
        {
            foreach (int hs in new[] { 64, 16, 24, 5, 12 })
            {
                Case t = Case.Random(seed, hs);
                KernelTestData.AssertClose(t.Expected(t.Keys, t.Values), t.Run(tier), 1e-4, 1e-5, $"{tier} attention hs={hs}");
                var (keys, values, roundedKeys, roundedValues) = t.Halves();
                KernelTestData.AssertClose(t.Expected(roundedKeys, roundedValues), t.Run(keys, values, tier), 1e-4, 1e-5, $"{tier} half-cache attention hs={hs}");
            }
        }
    }

    [Fact]
    public void TheDefaultEntryRunsTheProcessTier()
    {
        Case t = Case.WithLengths(3, 2, 64, 5, 40);
        var y = new float[t.Rows * t.Channels];
        CachedAttention.Forward(y, t.Qkv, t.Keys, t.Values, t.Start, t.Length, t.Rows, t.Channels, t.Heads, t.Context, t.Scores());
        Assert.Equal(t.Run(SimdTiers.Current), y);
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public void ResultsDoNotDependOnTheThreadCountOrOnOtherRows(SimdTier tier)
    {
        foreach (int hs in new[] { 64, 80, 7 })
        {
            Case t = Case.WithLengths(7 + hs, 3, hs, 1, 9, 300, 17, 64);
            var (keys, values, _, _) = t.Halves();
            float[] all = t.Run(tier), allHalf = t.Run(keys, values, tier);
            foreach (int threads in new[] { 1, 3 })
            {
                using var pool = new ComputePool(threads);
                Assert.Equal(all, t.Run(tier, pool));
                Assert.Equal(allHalf, t.Run(keys, values, tier, pool));
            }
            for (int i = 0; i < t.Rows; i++)
            {
                var one = new float[t.Channels];
                var oneHalf = new float[t.Channels];
                var scores = new float[t.Heads * t.Length[i]];
                ReadOnlySpan<float> qkv = t.Qkv.AsSpan(i * 3 * t.Channels, 3 * t.Channels);
                CachedAttention.Forward(one, qkv, t.Keys, t.Values, t.Start.AsSpan(i, 1), t.Length.AsSpan(i, 1), 1, t.Channels, t.Heads, t.Context, scores, tier);
                CachedAttention.Forward(oneHalf, qkv, keys, values, t.Start.AsSpan(i, 1), t.Length.AsSpan(i, 1), 1, t.Channels, t.Heads, t.Context, scores, tier);
                Assert.Equal(all.AsSpan(i * t.Channels, t.Channels).ToArray(), one);
                Assert.Equal(allHalf.AsSpan(i * t.Channels, t.Channels).ToArray(), oneHalf);
            }
        }
    }

    [Fact]
    public void BadShapesAreClearErrors()
    {
        var y = new float[64];
        var qkv = new float[192];
        var cache = new float[64 * 4];
        var scores = new float[4];
        Assert.Contains("outside", Assert.Throws<ArgumentException>(() => CachedAttention.Forward(y, qkv, cache, cache, [0], [5], 1, 64, 1, 4, scores)).Message);
        Assert.Contains("misaligned", Assert.Throws<ArgumentException>(() => CachedAttention.Forward(y, qkv, cache, cache, [3], [1], 1, 64, 1, 4, scores)).Message);
        Assert.Contains("multiple", Assert.Throws<ArgumentException>(() => CachedAttention.Forward(y, qkv, cache, cache, [0], [1], 1, 64, 3, 4, scores)).Message);
        Assert.Contains("scores", Assert.Throws<ArgumentException>(() => CachedAttention.Forward(y, qkv, cache, cache, [0], [4], 1, 64, 1, 4, new float[3])).Message);
    }
}
