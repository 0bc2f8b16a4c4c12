using System.Runtime.Intrinsics;
using Myna.Tensors;
using Myna.Tensors.Quantized;

namespace Myna.Tests.Tensors.Quantized;

/// <summary>
/// <see cref="PrescaledHalves"/>: f16 matrices store their halves times 2^10 where that is exact, so no stored half is
/// subnormal, and nothing a caller sees changes: the weights decode to the same values and every product is the same,
/// bit for bit, as with plain halves, in every tier and on every path (fused, batched, tiles; X pre-scaled or not).
/// </summary>
public sealed unsafe class HalfStorageTests
{
    [Fact]
    public void The_factors_are_the_powers_of_two_they_stand_for()
    {
        Assert.Equal(MathF.ScaleB(1f, 112), PlainHalves.InPlaceFactor);
        Assert.Equal(1f, PlainHalves.Unscale);
        Assert.Equal(MathF.ScaleB(1f, 112 - QuantizedMatrix.HalfPrescaleExponent), PrescaledHalves.InPlaceFactor);
        Assert.Equal(MathF.ScaleB(1f, -QuantizedMatrix.HalfPrescaleExponent), PrescaledHalves.Unscale);
    }

    [Theory]
    [InlineData(0.02f, true)]
    [InlineData(63.96f, true)]    // rounds to the half 63.96875, times 1024 the largest half, 65504
    [InlineData(64f, false)]      // times 1024 would overflow
    [InlineData(-1000f, false)]
    [InlineData(float.PositiveInfinity, false)]
    [InlineData(float.NaN, false)]
    public void Halves_are_prescaled_exactly_when_every_weight_allows_it(float largest, bool prescaled)
    {
        float[] w = [0.5f, -0.25f, largest, 1e-6f];
        Assert.Equal(prescaled, QuantizedMatrix.FromRows(w, 2, 2, WeightFormat.F16).HalvesPrescaled);
        Assert.False(QuantizedMatrix.FromRows(w, 2, 2, WeightFormat.F16, prescaleHalves: false).HalvesPrescaled);
        Assert.False(QuantizedMatrix.FromRows([0.5f, 0.25f], 1, 2, WeightFormat.F32).HalvesPrescaled);
        Assert.False(QuantizedMatrix.FromRows([0.5f, 0.25f], 1, 2, WeightFormat.Q8).HalvesPrescaled);
    }

    [Fact]
    public void Every_half_below_64_decodes_to_its_own_value_in_both_forms_and_is_never_stored_subnormal()
    {
        // Every finite half of magnitude below 64, both signs, zeros and subnormals included, as one matrix's weights.
        float[] halves = [.. Enumerable.Range(0, 65536).Select(b => (float)BitConverter.UInt16BitsToHalf((ushort)b)).Where(v => MathF.Abs(v) < 64f)];
        const int k = 1024;
        int rows = (halves.Length + k - 1) / k;
        var w = new float[rows * k];
        halves.CopyTo(w, 0);
        var prescaled = QuantizedMatrix.FromRows(w, rows, k, WeightFormat.F16);
        var plain = QuantizedMatrix.FromRows(w, rows, k, WeightFormat.F16, prescaleHalves: false);
        Assert.True(prescaled.HalvesPrescaled);
        Assert.DoesNotContain(prescaled.F16Values.ToArray(), bits => Half.IsSubnormal(BitConverter.UInt16BitsToHalf(bits)));
        Assert.Contains(plain.F16Values.ToArray(), bits => Half.IsSubnormal(BitConverter.UInt16BitsToHalf(bits)));

        var expected = w; // each is a half's value already, so (float)(Half)w == w
        foreach (QuantizedMatrix matrix in new[] { prescaled, plain })
        {
            foreach (SimdTier tier in SimdTiers.Supported)
            {
                float[] decoded = DecodeAll(matrix, tier);
                for (int i = 0; i < w.Length; i++)
                {
                    Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(decoded[i]),
                        $"{tier}, prescaled {matrix.HalvesPrescaled}: weight {i} {expected[i]:R} decoded as {decoded[i]:R}");
                }
            }
        }
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(40000f)]     // past the plain halves' limit for pre-scaling X (2^15), within the prescaled ones' (2^25)
    [InlineData(4e7f)]       // past both: neither pre-scales X
    public void Products_are_bit_identical_in_both_forms_on_every_path_and_tier(float largestActivation)
    {
        var rng = new Random(17);
        const int n = 37;
        foreach (int k in new[] { 83, 96 })
        {
            float[] w = KernelTestData.Floats(rng, n * k);
            for (int i = 0; i < w.Length; i += 3) w[i] *= 1e-6f; // subnormal in half precision (< 2^-14)
            var prescaled = QuantizedMatrix.FromRows(w, n, k, WeightFormat.F16);
            var plain = QuantizedMatrix.FromRows(w, n, k, WeightFormat.F16, prescaleHalves: false);
            Assert.True(prescaled.HalvesPrescaled);
            foreach (int m in new[] { 1, 2, 4, 8, 16, 17, 40 })
            {
                float[] x = KernelTestData.Floats(rng, m * k);
                x[0] = largestActivation;
                foreach (SimdTier tier in SimdTiers.Supported)
                {
                    float[] a = new float[m * n], b = new float[m * n];
                    QuantizedMatMul.Multiply(x, prescaled, a, m, tier);
                    QuantizedMatMul.Multiply(x, plain, b, m, tier);
                    for (int i = 0; i < a.Length; i++)
                        Assert.True(BitConverter.SingleToInt32Bits(a[i]) == BitConverter.SingleToInt32Bits(b[i]), $"{tier} M={m} K={k} |x| {largestActivation}: output {i} {a[i]:R} vs {b[i]:R}");
                }
            }
        }
    }

    private static float[] DecodeAll(QuantizedMatrix matrix, SimdTier tier)
    {
        var values = new float[matrix.Rows * matrix.Columns];
        fixed (float* destination = values)
        {
            switch (tier)
            {
                case SimdTier.Avx512: matrix.DecodeRows<FloatLanes512, Vector512<float>>(0, matrix.Rows, destination); break;
                case SimdTier.Avx2: matrix.DecodeRows<FloatLanes256, Vector256<float>>(0, matrix.Rows, destination); break;
                default: matrix.DecodeRows<FloatLanes128, Vector128<float>>(0, matrix.Rows, destination); break;
            }
        }
        return values;
    }
}
