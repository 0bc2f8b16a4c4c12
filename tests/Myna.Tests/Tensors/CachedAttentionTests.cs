using FsCheck.Xunit;
using Myna.Tensors;

namespace Myna.Tests.Tensors;

public class CachedAttentionTests
{
    /// <summary>A random cache of S sequences laid out (S, NH, n_ctx, hs), rows that each see a prefix of one sequence, and the double-precision answer.</summary>
    private sealed record Case(int Rows, int Channels, int Heads, int Context, float[] Qkv, float[] Keys, float[] Values, int[] Start, int[] Length)
    {
        public static Case Random(int seed, int headSize)
        {
            var rng = new Random(seed);
            int heads = rng.Next(1, 4), channels = heads * headSize, context = rng.Next(1, 40), sequences = rng.Next(1, 4), rows = rng.Next(1, 6);
            long block = (long)channels * context;
            var start = new int[rows];
            var length = new int[rows];
            for (int i = 0; i < rows; i++)
            {
                start[i] = (int)(rng.Next(sequences) * block);
                length[i] = rng.Next(1, context + 1);
            }
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
    }

    [Property(MaxTest = 20)]
    public void F32CacheMatchesDoublePrecisionAttention(int seed)
    {
        foreach (int hs in new[] { 64, 16, 24, 5 })
        {
            Case t = Case.Random(seed, hs);
            var y = new float[t.Rows * t.Channels];
            CachedAttention.Forward(y, t.Qkv, t.Keys, t.Values, t.Start, t.Length, t.Rows, t.Channels, t.Heads, t.Context, t.Scores());
            KernelTestData.AssertClose(t.Expected(t.Keys, t.Values), y, 1e-4, 1e-5, $"attention hs={hs}");
        }
    }

    [Property(MaxTest = 20)]
    public void HalfCacheMatchesAttentionOverTheRoundedValues(int seed)
    {
        foreach (int hs in new[] { 64, 32, 7 })
        {
            Case t = Case.Random(seed, hs);
            var keys = new ushort[t.Keys.Length];
            var values = new ushort[t.Values.Length];
            HalfConversion.SingleToHalf(t.Keys, keys);
            HalfConversion.SingleToHalf(t.Values, values);
            var y = new float[t.Rows * t.Channels];
            CachedAttention.Forward(y, t.Qkv, keys, values, t.Start, t.Length, t.Rows, t.Channels, t.Heads, t.Context, t.Scores());
            float[] roundedKeys = Array.ConvertAll(keys, k => (float)BitConverter.UInt16BitsToHalf(k));
            float[] roundedValues = Array.ConvertAll(values, v => (float)BitConverter.UInt16BitsToHalf(v));
            KernelTestData.AssertClose(t.Expected(roundedKeys, roundedValues), y, 1e-4, 1e-5, $"half-cache attention hs={hs}");
        }
    }

    [Fact]
    public void ResultsDoNotDependOnTheThreadCountOrOnOtherRows()
    {
        Case t = Case.Random(7, 64);
        var all = new float[t.Rows * t.Channels];
        CachedAttention.Forward(all, t.Qkv, t.Keys, t.Values, t.Start, t.Length, t.Rows, t.Channels, t.Heads, t.Context, t.Scores());
        for (int i = 0; i < t.Rows; i++)
        {
            var one = new float[t.Channels];
            CachedAttention.Forward(one, t.Qkv.AsSpan(i * 3 * t.Channels, 3 * t.Channels), t.Keys, t.Values, t.Start.AsSpan(i, 1), t.Length.AsSpan(i, 1), 1, t.Channels, t.Heads, t.Context, new float[t.Heads * t.Length[i]]);
            Assert.Equal(all.AsSpan(i * t.Channels, t.Channels).ToArray(), one);
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
