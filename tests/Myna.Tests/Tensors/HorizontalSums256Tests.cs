using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using FsCheck.Xunit;
using Myna.Tensors;

namespace Myna.Tests.Tensors;

public class HorizontalSums256Tests
{
    [Property(MaxTest = 50)]
    public void EachSumPairsItsOwnLanesTheSameWayInEverySlot(int seed)
    {
        if (!Avx.IsSupported) return; // the AVX2 tier that uses it only runs with AVX
        var rng = new Random(seed);
        var v = new Vector256<float>[8];
        for (int i = 0; i < 8; i++)
        {
            // Magnitudes spread over many binades, so a different pairing would round differently.
            var lanes = new float[8];
            for (int l = 0; l < 8; l++) lanes[l] = (float)((rng.NextDouble() - 0.5) * Math.Pow(2, rng.Next(-20, 21)));
            v[i] = Vector256.Create(lanes);
        }
        Vector256<float> sums = HorizontalSums256.Each8(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
        Vector256<float> rotated = HorizontalSums256.Each8(v[3], v[4], v[5], v[6], v[7], v[0], v[1], v[2]);
        for (int i = 0; i < 8; i++)
        {
            Vector256<float> x = v[i];
            float expected = ((x[0] + x[1]) + (x[2] + x[3])) + ((x[4] + x[5]) + (x[6] + x[7]));
            Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(sums[i]));
            Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(rotated[(i + 5) % 8]));
        }
    }
}
