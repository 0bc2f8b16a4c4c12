namespace Myna.Models;

/// <summary>
/// Every activation buffer of the model and the backward pass's scratch, allocated once for (B, T).
/// B batch, T time, C channels, V vocabulary, L layers.
/// </summary>
public sealed class GptActivations
{
    public GptActivations(GptConfig config, int batch, int time)
    {
        ArgumentNullException.ThrowIfNull(config);
        // Sizes in 64 bits first: a batch of 1e8 must be a clear refusal, not an overflow deep in an allocation.
        long positions = (long)batch * time;
        if (positions * config.VocabSize > Array.MaxLength || positions * 4 * config.EmbeddingSize > Array.MaxLength)
            throw new ArgumentException($"B·T = {batch} × {time} = {positions:N0} positions make activations larger than one array allows; use a smaller --batch-size or --seq-len.");
        int bt = (int)positions, c = config.EmbeddingSize;
        Tokens = new int[bt];
        Encoded = new float[bt * c];
        Blocks = Enumerable.Range(0, config.LayerCount).Select(_ => new BlockActivations(batch, time, c, config.HeadCount)).ToArray();
        FinalNorm = new float[bt * c];
        FinalNormMean = new float[bt];
        FinalNormRstd = new float[bt];
        Logits = new float[bt * config.VocabSize];
        Losses = new float[bt];
        DResidual = new float[bt * c];
        DChannels = new float[bt * c];
        DWide = new float[bt * 4 * c];
        DBranch = new float[bt * c];
    }

    /// <summary>
    /// Bytes the activations of a (B, T) training step take, in 64 bits so it can be checked against the machine's
    /// memory before anything is allocated (the same buffers the constructor and <see cref="BlockActivations"/> make).
    /// </summary>
    public static long ByteCount(GptConfig config, int batch, int time)
    {
        ArgumentNullException.ThrowIfNull(config);
        long bt = (long)batch * time, c = config.EmbeddingSize;
        long top = bt * (1 + c + c + 2 + config.VocabSize + 1 + c + c + 4 * c + c);
        long perBlock = bt * (16 * c + 4 + config.HeadCount);
        return 4 * (top + config.LayerCount * perBlock);
    }

    public int[] Tokens { get; }                   // (B, T) input of the last forward pass
    public float[] Encoded { get; }                // (B, T, C) wte + wpe
    public IReadOnlyList<BlockActivations> Blocks { get; } // (L)
    public float[] FinalNorm { get; }              // (B, T, C) ln_f output
    public float[] FinalNormMean { get; }          // (B, T)
    public float[] FinalNormRstd { get; }          // (B, T)
    public float[] Logits { get; }                 // (B, T, V); after a training forward, d loss / d logits
    public float[] Losses { get; }                 // (B, T)

    // Backward scratch, reused by every block.
    public float[] DResidual { get; }              // (B, T, C) gradient of the residual stream
    public float[] DChannels { get; }              // (B, T, C) dln_f, dln_2, datty, dln_1 in turn
    public float[] DWide { get; }                  // (B, T, 4C) dfc (and dqkv, (B, T, 3C), in its front)
    public float[] DBranch { get; }                // (B, T, C) a dropped-out branch's gradient, through its mask
}
