namespace Myna.Models;

/// <summary>
/// What one transformer block keeps from its forward pass for the backward pass, allocated once for (B, T).
/// B batch, T time, C channels, NH heads.
/// </summary>
public sealed class BlockActivations
{
    public BlockActivations(int batch, int time, int channels, int heads)
    {
        int bt = batch * time;
        if ((long)bt * 4 * channels > Array.MaxLength)
            throw new ArgumentException($"a batch of {batch} × {time} tokens needs activation buffers larger than one array; use a smaller batch or sequence.");
        Norm1 = new float[bt * channels];
        Norm1Mean = new float[bt];
        Norm1Rstd = new float[bt];
        Qkv = new float[bt * 3 * channels];
        AttentionOutput = new float[bt * channels];
        AttentionLogSumExp = new float[bt * heads];
        Residual2 = new float[bt * channels];
        Norm2 = new float[bt * channels];
        Norm2Mean = new float[bt];
        Norm2Rstd = new float[bt];
        Fc = new float[bt * 4 * channels];
        FcGelu = new float[bt * 4 * channels];
        Residual3 = new float[bt * channels];
    }

    public float[] Norm1 { get; }            // (B, T, C)
    public float[] Norm1Mean { get; }        // (B, T)
    public float[] Norm1Rstd { get; }        // (B, T)
    public float[] Qkv { get; }              // (B, T, 3C)
    public float[] AttentionOutput { get; }  // (B, T, C) heads side by side, before c_proj
    public float[] AttentionLogSumExp { get; } // (B, NH, T) per score row; the backward pass recomputes the weights
    public float[] Residual2 { get; }        // (B, T, C) residual + attention branch
    public float[] Norm2 { get; }            // (B, T, C)
    public float[] Norm2Mean { get; }        // (B, T)
    public float[] Norm2Rstd { get; }        // (B, T)
    public float[] Fc { get; }               // (B, T, 4C) before GELU
    public float[] FcGelu { get; }           // (B, T, 4C) after GELU
    public float[] Residual3 { get; }        // (B, T, C) block output
}
