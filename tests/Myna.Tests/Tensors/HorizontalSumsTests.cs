using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using FsCheck.Xunit;
using Myna.Tensors;

namespace Myna.Tests.Tensors;

public class HorizontalSumsTests
{
    private static Vector512<float> RandomVector(Random rng)
    {
        // Magnitudes spread over many binades, so a different pairing would round differently.
        var values = new float[16];
        for (int i = 0; i < 16; i++) values[i] = (float)((rng.NextDouble() - 0.5) * Math.Pow(2, rng.Next(-20, 21)));
        return Vector512.Create(values);
    }

    [Property(MaxTest = 50)]
    public void EachSumIsBitIdenticalWithVector512Sum(int seed)
    {
        if (!Avx512F.IsSupported) return; // the kernels that use it only run with AVX-512
        var rng = new Random(seed);
        var v = new Vector512<float>[16];
        for (int i = 0; i < 16; i++) v[i] = RandomVector(rng);
        Vector512<float> sums = HorizontalSums.Each16(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14], v[15]);
        Vector256<float> eight = HorizontalSums.Each8(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
        for (int i = 0; i < 16; i++)
        {
            float expected = Vector512.Sum(v[i]);
            Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(sums[i]));
            if (i < 8) Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(eight[i]));
        }
    }

    [Property(MaxTest = 50)]
    public void Avx2SumsFollowTheirTreeAndAgreeFourAtATime(int seed)
    {
        if (!Avx.IsSupported) return; // the AVX2 tier's kernels only run with AVX
        var rng = new Random(seed);
        var v = new Vector256<float>[4];
        for (int i = 0; i < 4; i++) v[i] = RandomVector(rng).GetLower();
        Vector128<float> four = HorizontalSums.Each4(v[0], v[1], v[2], v[3]);
        for (int i = 0; i < 4; i++)
        {
            Vector256<float> x = v[i];
            float expected = ((x[0] + x[1]) + (x[2] + x[3])) + ((x[4] + x[5]) + (x[6] + x[7]));
            Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(HorizontalSums.Sum(x)));
            Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(four[i]));
        }
    }
}
