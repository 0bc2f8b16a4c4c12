using Myna.Models;
using Myna.Models.Inference;
using Myna.Tests.Tensors;

namespace Myna.Tests.Models.Inference;

public class KeyValueCacheTests
{
    /// <summary>Attention of one query over the first n stored positions, in double precision, per head.</summary>
    private static double[] Reference(float[] query, List<float[]> keys, List<float[]> values, int n, int heads)
    {
        int c = query.Length, hs = c / heads;
        var y = new double[c];
        for (int h = 0; h < heads; h++)
        {
            var scores = new double[n];
            for (int j = 0; j < n; j++)
            {
                double dot = 0;
                for (int i = 0; i < hs; i++) dot += (double)query[h * hs + i] * keys[j][h * hs + i];
                scores[j] = dot / Math.Sqrt(hs);
            }
            double max = scores.Max(), sum = scores.Sum(s => Math.Exp(s - max));
            for (int j = 0; j < n; j++)
            {
                double p = Math.Exp(scores[j] - max) / sum;
                for (int i = 0; i < hs; i++) y[h * hs + i] += p * values[j][h * hs + i];
            }
        }
        return y;
    }

    [Theory]
    [InlineData(2, 7, false)]
    [InlineData(3, 32, false)]
    [InlineData(2, 80, false)]
    [InlineData(1, 128, false)]
    [InlineData(2, 80, true)]
    [InlineData(1, 128, true)]
    [InlineData(3, 7, true)]
    public void AnyHeadSizeStoresCopiesAndAttends(int heads, int headSize, bool half)
    {
        var config = new GptConfig { EmbeddingSize = heads * headSize, HeadCount = heads, LayerCount = 2, ContextLength = 40 };
        int c = config.EmbeddingSize;
        var cache = new KeyValueCache(config, sequences: 3, halfPrecision: half);
        var rng = new Random(headSize);
        var keys = new List<float[]>();
        var values = new List<float[]>();
        const int n = 37;
        for (int t = 0; t < n; t++)
        {
            float[] k = KernelTestData.Floats(rng, c, 2), v = KernelTestData.Floats(rng, c);
            if (half)
            {
                k = Array.ConvertAll(k, x => (float)(Half)x); // what the cache can hold exactly
                v = Array.ConvertAll(v, x => (float)(Half)x);
            }
            keys.Add(k);
            values.Add(v);
            cache.Store(1, sequence: 2, position: t, k, v);
        }
        cache.Copy(from: 2, to: 0, length: n);

        float[] qkv = KernelTestData.Floats(rng, 3 * c, 2);
        float[] query = qkv[..c];
        foreach (int sequence in new[] { 2, 0 })
        {
            foreach (int length in new[] { 1, 9, n })
            {
                var y = new float[c];
                cache.Attend(1, y, qkv, [cache.SequenceStart(sequence)], [length], 1, new float[heads * length]);
                KernelTestData.AssertClose(Reference(query, keys, values, length, heads), y, 1e-4, 2e-5, $"sequence {sequence}, {length} positions");
            }
        }
    }

    [Fact]
    public void ACacheLargerThanTheMachineIsRefusedBeforeAllocatingWithTheSizes()
    {
        // 1,300 sequences of GPT-2 XL's full context: about 820 GB, within one array per layer but beyond any machine here.
        var refused = Assert.Throws<InsufficientMemoryException>(() => new KeyValueCache(GptConfig.Gpt2XL, 1300, halfPrecision: false));
        Assert.Contains("1300 sequences", refused.Message);
        Assert.Contains("GiB", refused.Message);
    }
}
