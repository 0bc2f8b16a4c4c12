using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Myna.Tensors.Memory;

namespace Myna.Tensors.Quantized;

/// <summary>
/// A weight matrix W (N, K) stored row by row (N output rows of K inputs) in one <see cref="WeightFormat"/>, the layout
/// in which a matrix-vector product streams every row once. N rows, K columns.
/// </summary>
public sealed class QuantizedMatrix
{
    /// <summary>Values per q8 block along a row.</summary>
    public const int BlockSize = 32;

    /// <summary>The power of two f16 values are stored multiplied by where that is exact (see <see cref="PrescaledHalves"/>).</summary>
    internal const int HalfPrescaleExponent = 10;

    // Halves below this in magnitude can be multiplied by 2^10 without overflow (63.97 · 1024 = 65504, the largest half).
    private const float PrescalableHalfLimit = 64f;

    /// <summary>
    /// Whether f16 matrices are stored prescaled where they can be (<see cref="PrescaledHalves"/>): yes unless
    /// <c>MYNA_F16_PRESCALE=0</c>, which keeps every matrix's halves plain, to measure what prescaling gives and to check
    /// that both forms compute the same bits.
    /// </summary>
    internal static readonly bool PrescalesHalves = Environment.GetEnvironmentVariable("MYNA_F16_PRESCALE") != "0";

    // Outside the GC heap, on huge pages where the OS gives them: decoding streams all of it once per token.
    private readonly HugePageBuffer<float>? _f32;    // (N, K)
    private readonly HugePageBuffer<ushort>? _f16;   // (N, K) half bits
    private readonly HugePageBuffer<sbyte>? _q8;     // (N, K)
    private readonly HugePageBuffer<float>? _scales; // (N, ⌈K/32⌉), each a half-precision value held as float

    private QuantizedMatrix(int rows, int columns, WeightFormat format, HugePageBuffer<float>? f32, HugePageBuffer<ushort>? f16, HugePageBuffer<sbyte>? q8, HugePageBuffer<float>? scales, bool halvesPrescaled = false)
    {
        Rows = rows;
        Columns = columns;
        Format = format;
        _f32 = f32;
        _f16 = f16;
        _q8 = q8;
        _scales = scales;
        HalvesPrescaled = halvesPrescaled;
    }

    /// <summary>N, the output rows.</summary>
    public int Rows { get; }

    /// <summary>K, the inputs per row.</summary>
    public int Columns { get; }

    /// <summary>The storage format.</summary>
    public WeightFormat Format { get; }

    /// <summary>
    /// Whether this f16 matrix stores each weight's half times 2^10 (<see cref="PrescaledHalves"/>: no subnormal half,
    /// so no slow subnormal multiply in the kernels); false for plain halves and for the other formats. Either way the
    /// weights and every product are the same.
    /// </summary>
    internal bool HalvesPrescaled { get; }

    /// <summary>Blocks per row in the q8 format.</summary>
    public int BlocksPerRow => (Columns + BlockSize - 1) / BlockSize;

    /// <summary>
    /// Whether the OS agreed to back this matrix's values with huge pages (see <c>HugePageBuffer</c>): true for values
    /// of 2 MiB or more on Linux with transparent huge pages, unless <c>MYNA_HUGE_PAGES=0</c>.
    /// </summary>
    public bool OnHugePages => (_f32?.HugePagesAdvised ?? false) || (_f16?.HugePagesAdvised ?? false) || (_q8?.HugePagesAdvised ?? false);

    /// <summary>Bytes of weight storage.</summary>
    public long Bytes => Format switch
    {
        WeightFormat.F32 => (long)Rows * Columns * sizeof(float),
        WeightFormat.F16 => (long)Rows * Columns * sizeof(ushort),
        _ => (long)Rows * Columns + (long)Rows * BlocksPerRow * sizeof(float),
    };

    /// <summary>Stores <paramref name="w"/>, given row-major as (N, K).</summary>
    /// <exception cref="ArgumentException">A dimension is not positive or the span is shorter than N·K.</exception>
    public static QuantizedMatrix FromRows(ReadOnlySpan<float> w, int rows, int columns, WeightFormat format) =>
        FromRows(w, rows, columns, format, PrescalesHalves);

    /// <summary><see cref="FromRows(ReadOnlySpan{float}, int, int, WeightFormat)"/>, with f16 halves kept plain when <paramref name="prescaleHalves"/> is false (tests compare the two forms).</summary>
    internal static QuantizedMatrix FromRows(ReadOnlySpan<float> w, int rows, int columns, WeightFormat format, bool prescaleHalves)
    {
        Check(w, rows, columns);
        return Build(w, rows, columns, format, prescaleHalves);
    }

    /// <summary>Stores the transpose of <paramref name="w"/>, given row-major as (K, N) (a Hugging Face Conv1D weight).</summary>
    /// <exception cref="ArgumentException">A dimension is not positive or the span is shorter than N·K.</exception>
    public static QuantizedMatrix FromColumns(ReadOnlySpan<float> w, int rows, int columns, WeightFormat format)
    {
        Check(w, rows, columns);
        var transposed = new float[(long)rows * columns];
        for (int k = 0; k < columns; k++)
        {
            ReadOnlySpan<float> source = w.Slice(k * rows, rows);
            for (int n = 0; n < rows; n++) transposed[(long)n * columns + k] = source[n];
        }
        return Build(transposed, rows, columns, format, PrescalesHalves);
    }

    private static void Check(ReadOnlySpan<float> w, int rows, int columns)
    {
        if (rows < 1 || columns < 1) throw new ArgumentException($"a matrix needs positive dimensions; ({rows}, {columns}) given.");
        if (w.Length < (long)rows * columns) throw new ArgumentException($"the weights hold {w.Length} values; ({rows}, {columns}) needs {(long)rows * columns}.", nameof(w));
    }

    private static QuantizedMatrix Build(ReadOnlySpan<float> w, int rows, int columns, WeightFormat format, bool prescaleHalves)
    {
        long count = (long)rows * columns;
        if (count > Array.MaxLength) throw new ArgumentException($"({rows}, {columns}) is too large for one array.");
        switch (format)
        {
            case WeightFormat.F32:
            {
                var values = HugePageBuffer<float>.From(w[..(int)count]);
                return new QuantizedMatrix(rows, columns, format, values, null, null, null);
            }
            case WeightFormat.F16:
            {
                var values = new HugePageBuffer<ushort>((int)count);
                Span<ushort> halves = values.Span;
                float largest = 0; // MathF.Max propagates NaN: a NaN half keeps the matrix plain
                for (int i = 0; i < count; i++)
                {
                    Half h = (Half)w[i];
                    halves[i] = BitConverter.HalfToUInt16Bits(h);
                    largest = MathF.Max(largest, MathF.Abs((float)h));
                }
                bool prescaled = prescaleHalves && largest < PrescalableHalfLimit;
                if (prescaled)
                {
                    // h·2^10 is exact: the half's significand is unchanged and its exponent stays within range.
                    for (int i = 0; i < count; i++)
                        halves[i] = BitConverter.HalfToUInt16Bits((Half)MathF.ScaleB((float)BitConverter.UInt16BitsToHalf(halves[i]), HalfPrescaleExponent));
                }
                return new QuantizedMatrix(rows, columns, format, null, values, null, null, prescaled);
            }
            case WeightFormat.Q8:
            {
                int blocks = (columns + BlockSize - 1) / BlockSize;
                var qBuffer = new HugePageBuffer<sbyte>((int)count);
                var scaleBuffer = new HugePageBuffer<float>(rows * blocks);
                Span<sbyte> q = qBuffer.Span;
                Span<float> scales = scaleBuffer.Span;
                for (int n = 0; n < rows; n++)
                {
                    ReadOnlySpan<float> row = w.Slice(n * columns, columns);
                    for (int b = 0; b < blocks; b++)
                    {
                        int start = b * BlockSize, end = Math.Min(start + BlockSize, columns);
                        (float d, float inverse) = Q8Scale(row[start..end]);
                        scales[n * blocks + b] = d;
                        for (int k = start; k < end; k++) q[n * columns + k] = (sbyte)MathF.Round(row[k] * inverse, MidpointRounding.AwayFromZero);
                    }
                }
                return new QuantizedMatrix(rows, columns, format, null, null, qBuffer, scaleBuffer);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "unknown weight format.");
        }
    }

    /// <summary>
    /// ggml's q8_0 rule: d = max|x| / 127, values quantised with 1/d, and the scale kept in half precision — so these
    /// blocks dequantise to exactly what a GGUF q8_0 tensor of the same weights holds.
    /// </summary>
    /// <remarks>The one place the rule lives: GGUF export (<c>Q8Blocks</c>) quantises with it too.</remarks>
    public static (float Scale, float Inverse) Q8Scale(ReadOnlySpan<float> block)
    {
        float max = 0;
        foreach (float v in block) max = MathF.Max(max, MathF.Abs(v));
        float d = max / 127f;
        return ((float)(Half)d, d != 0 ? 1f / d : 0f);
    }

    /// <summary>Expands rows [<paramref name="start"/>, start + count) to floats in <paramref name="destination"/> (count, K).</summary>
    public void DecodeRows(int start, int count, Span<float> destination)
    {
        if ((uint)start > (uint)Rows || (uint)count > (uint)(Rows - start)) throw new ArgumentOutOfRangeException(nameof(count));
        if (destination.Length < (long)count * Columns) throw new ArgumentException("destination is shorter than (count, K).", nameof(destination));
        unsafe
        {
            fixed (float* d = destination) DecodeRows(start, count, d);
        }
    }

    /// <summary>Row <paramref name="n"/> decoded, for tests and tools.</summary>
    public float[] DecodeRow(int n)
    {
        var row = new float[Columns];
        DecodeRows(n, 1, row);
        return row;
    }

    // The storage, for the kernels: native memory, so a caller that keeps a span past its last use of this matrix
    // must keep the matrix alive (GC.KeepAlive).
    internal Span<float> F32Values => (_f32 ?? throw new InvalidOperationException("not an f32 matrix.")).Span;

    internal Span<ushort> F16Values => (_f16 ?? throw new InvalidOperationException("not an f16 matrix.")).Span;

    internal Span<sbyte> Q8Values => (_q8 ?? throw new InvalidOperationException("not a q8 matrix.")).Span;

    internal Span<float> Q8Scales => (_scales ?? throw new InvalidOperationException("not a q8 matrix.")).Span;

    /// <summary>Rows [start, start + count) as floats, with this process's tier.</summary>
    internal unsafe void DecodeRows(int start, int count, float* destination)
    {
        switch (QuantizedMatMul.Tier)
        {
            case SimdTier.Avx512: DecodeRows<FloatLanes512, Vector512<float>>(start, count, destination); break;
            case SimdTier.Avx2: DecodeRows<FloatLanes256, Vector256<float>>(start, count, destination); break;
            default: DecodeRows<FloatLanes128, Vector128<float>>(start, count, destination); break;
        }
    }

    /// <summary>Rows [start, start + count) as floats with <typeparamref name="TLanes"/>'s vectors; every tier gives the same, exact values.</summary>
    internal unsafe void DecodeRows<TLanes, TVec>(int start, int count, float* destination)
        where TLanes : struct, IFloatLanes<TVec>
        where TVec : struct
    {
        int k = Columns;
        switch (Format)
        {
            case WeightFormat.F32:
                F32Values.Slice((int)((long)start * k), count * k).CopyTo(new Span<float>(destination, count * k));
                break;
            case WeightFormat.F16:
                if (HalvesPrescaled) HalfLanes.HalfToSingle<PrescaledHalves, TLanes, TVec>(_f16!.Pointer + (long)start * k, destination, (long)count * k);
                else HalfLanes.HalfToSingle<PlainHalves, TLanes, TVec>(_f16!.Pointer + (long)start * k, destination, (long)count * k);
                break;
            case WeightFormat.Q8:
                sbyte* q = _q8!.Pointer;
                float* s = _scales!.Pointer;
                int blocks = BlocksPerRow;
                for (int r = 0; r < count; r++)
                    DecodeQ8Row<TLanes, TVec>(q + (long)(start + r) * k, s + (long)(start + r) * blocks, destination + (long)r * k, k);
                break;
        }
        GC.KeepAlive(this); // the buffers' memory is read through pointers above
    }

    /// <summary>One q8 row of K values to floats: w = (float)q · d per block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a kernel: fully optimised from its first call
    internal static unsafe void DecodeQ8Row<TLanes, TVec>(sbyte* q, float* scales, float* destination, int k)
        where TLanes : struct, IFloatLanes<TVec>
        where TVec : struct
    {
        int full = k / BlockSize;
        for (int b = 0; b < full; b++)
        {
            TVec d = TLanes.Broadcast(scales[b]);
            sbyte* block = q + b * BlockSize;
            float* o = destination + b * BlockSize;
            for (int t = 0; t < BlockSize; t += TLanes.Count) TLanes.Store(TLanes.Multiply(TLanes.LoadSBytes(block + t), d), o + t);
        }
        for (int i = full * BlockSize; i < k; i++) destination[i] = q[i] * scales[i / BlockSize];
    }
}
