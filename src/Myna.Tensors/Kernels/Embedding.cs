namespace Myna.Tensors;

/// <summary>
/// Token plus position embedding: <c>out[b, t] = wte[tokens[b, t]] + wpe[t]</c>.
/// Dimensions: B batch, T time, C channels, V vocabulary; <c>wte</c> is (V, C), <c>wpe</c> is (≥T, C).
/// Runs at the process's <see cref="SimdTier"/> (the internal overloads take one explicitly, for tests).
/// </summary>
public static unsafe class Embedding
{
    private static readonly SimdTier Tier = SimdTiers.Current;

    // Rows (positions) per parallel task in the forward pass.
    private const int RowGrain = 16;

    // Channels per parallel task in the backward pass: each task scatters its channel slice for every position in
    // order, so repeated tokens add up deterministically without locks.
    private const int ChannelGrain = 64;

    /// <summary>Writes <paramref name="output"/> (B, T, C) from <paramref name="tokens"/> (B, T).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A token is outside [0, V).</exception>
    /// <exception cref="ArgumentException">A span is shorter than its shape requires.</exception>
    public static void Forward(
        Span<float> output, ReadOnlySpan<int> tokens, ReadOnlySpan<float> tokenTable, ReadOnlySpan<float> positionTable,
        int batch, int time, int channels) =>
        Forward(output, tokens, tokenTable, positionTable, batch, time, channels, Tier);

    /// <summary><see cref="Forward(Span{float}, ReadOnlySpan{int}, ReadOnlySpan{float}, ReadOnlySpan{float}, int, int, int)"/> at an explicit tier.</summary>
    internal static void Forward(
        Span<float> output, ReadOnlySpan<int> tokens, ReadOnlySpan<float> tokenTable, ReadOnlySpan<float> positionTable,
        int batch, int time, int channels, SimdTier tier)
    {
        Validate(output, tokens, tokenTable, positionTable, batch, time, channels);
        fixed (float* pOut = output, pWte = tokenTable, pWpe = positionTable)
        fixed (int* pTok = tokens)
        {
            float* o = pOut, wte = pWte, wpe = pWpe;
            int* tok = pTok;
            int T = time, C = channels;
            KernelParallel.For(batch * time, RowGrain, (start, end) =>
            {
                for (int bt = start; bt < end; bt++)
                {
                    var row = new Span<float>(o + (long)bt * C, C);
                    new ReadOnlySpan<float>(wte + (long)tok[bt] * C, C).CopyTo(row);
                    KernelSimd.Add(new ReadOnlySpan<float>(wpe + (long)(bt % T) * C, C), row, tier);
                }
            });
        }
    }

    /// <summary>
    /// Backward of <see cref="Forward(Span{float}, ReadOnlySpan{int}, ReadOnlySpan{float}, ReadOnlySpan{float}, int, int, int)"/>: accumulates (+=) <paramref name="dOutput"/> (B, T, C) into the rows of
    /// <paramref name="dTokenTable"/> (V, C) named by the tokens and into <paramref name="dPositionTable"/> (≥T, C).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A token is outside [0, V).</exception>
    /// <exception cref="ArgumentException">A span is shorter than its shape requires.</exception>
    public static void Backward(
        Span<float> dTokenTable, Span<float> dPositionTable, ReadOnlySpan<float> dOutput, ReadOnlySpan<int> tokens,
        int batch, int time, int channels) =>
        Backward(dTokenTable, dPositionTable, dOutput, tokens, batch, time, channels, Tier);

    /// <summary><see cref="Backward(Span{float}, Span{float}, ReadOnlySpan{float}, ReadOnlySpan{int}, int, int, int)"/> at an explicit tier.</summary>
    internal static void Backward(
        Span<float> dTokenTable, Span<float> dPositionTable, ReadOnlySpan<float> dOutput, ReadOnlySpan<int> tokens,
        int batch, int time, int channels, SimdTier tier)
    {
        Validate(dOutput, tokens, dTokenTable, dPositionTable, batch, time, channels);
        fixed (float* pDwte = dTokenTable, pDwpe = dPositionTable, pDy = dOutput)
        fixed (int* pTok = tokens)
        {
            float* dwte = pDwte, dwpe = pDwpe, dy = pDy;
            int* tok = pTok;
            int T = time, C = channels, rows = batch * time;
            KernelParallel.For(channels, ChannelGrain, (start, end) =>
            {
                int width = end - start;
                for (int bt = 0; bt < rows; bt++)
                {
                    var g = new ReadOnlySpan<float>(dy + (long)bt * C + start, width);
                    KernelSimd.Add(g, new Span<float>(dwte + (long)tok[bt] * C + start, width), tier);
                    KernelSimd.Add(g, new Span<float>(dwpe + (long)(bt % T) * C + start, width), tier);
                }
            });
        }
    }

    private static int Validate(
        ReadOnlySpan<float> activations, ReadOnlySpan<int> tokens, ReadOnlySpan<float> tokenTable, ReadOnlySpan<float> positionTable,
        int batch, int time, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(time, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        long rows = (long)batch * time;
        if (activations.Length < rows * channels)
            throw new ArgumentException($"the (B, T, C) buffer holds {activations.Length} values; {rows * channels} are needed.", nameof(activations));
        if (tokens.Length < rows) throw new ArgumentException($"tokens holds {tokens.Length} ids; B·T = {rows} are needed.", nameof(tokens));
        if (positionTable.Length < (long)time * channels)
            throw new ArgumentException($"the position table holds {positionTable.Length} values; (T, C) needs {(long)time * channels}.", nameof(positionTable));
        int vocab = tokenTable.Length / channels;
        for (int i = 0; i < rows; i++)
        {
            if ((uint)tokens[i] >= (uint)vocab)
                throw new ArgumentOutOfRangeException(nameof(tokens), tokens[i], $"token {i} is {tokens[i]}; ids must be in [0, {vocab}).");
        }
        return vocab;
    }
}
