using Myna.Tensors;

namespace Myna.Models.Layers;

/// <summary>
/// One pre-LayerNorm GPT-2 block: <c>x + attn(ln_1(x))</c>, then <c>+ mlp(ln_2(·))</c>, with the MLP
/// <c>c_proj(gelu(c_fc(·)))</c>. B batch, T time, C channels, NH heads.
/// </summary>
public static class TransformerBlock
{
    /// <summary>Runs the block on <paramref name="input"/> (B, T, C); the output is <see cref="BlockActivations.Residual3"/>.</summary>
    public static void Forward(
        BlockActivations acts, ReadOnlySpan<float> input, float[] parameters, BlockParameters p,
        int batch, int time, int channels, int heads)
    {
        int bt = batch * time, c = channels;
        LayerNorm.Forward(acts.Norm1, acts.Norm1Mean, acts.Norm1Rstd, input, Slice(parameters, p.Norm1Weight), Slice(parameters, p.Norm1Bias), bt, c);
        Linear.Forward(acts.Qkv, acts.Norm1, Slice(parameters, p.QkvWeight), Slice(parameters, p.QkvBias), bt, c, 3 * c);
        CausalAttention.Forward(acts.AttentionOutput, acts.AttentionLogSumExp, acts.Qkv, batch, time, c, heads);
        // residual2 = input + atty·W + b: the GEMM accumulates onto a copy of the skip path, so the projection needs no buffer.
        input[..(bt * c)].CopyTo(acts.Residual2);
        Gemm.Multiply(acts.AttentionOutput, Slice(parameters, p.AttentionProjWeight), acts.Residual2, bt, c, c,
            GemmLayout.NN, accumulate: true, bias: Slice(parameters, p.AttentionProjBias));

        LayerNorm.Forward(acts.Norm2, acts.Norm2Mean, acts.Norm2Rstd, acts.Residual2, Slice(parameters, p.Norm2Weight), Slice(parameters, p.Norm2Bias), bt, c);
        Linear.Forward(acts.Fc, acts.Norm2, Slice(parameters, p.FcWeight), Slice(parameters, p.FcBias), bt, c, 4 * c);
        Gelu.Forward(acts.FcGelu, acts.Fc, bt * 4 * c);
        acts.Residual2.CopyTo(acts.Residual3);
        Gemm.Multiply(acts.FcGelu, Slice(parameters, p.FcProjWeight), acts.Residual3, bt, c, 4 * c,
            GemmLayout.NN, accumulate: true, bias: Slice(parameters, p.FcProjBias));
    }

    /// <summary>
    /// Backward of <see cref="Forward"/>. <paramref name="dResidual"/> (B, T, C) holds d loss / d block output on entry
    /// and d loss / d block input on return: the skip connections pass it through unchanged and each LayerNorm
    /// backward adds its branch's share (+=). Parameter gradients accumulate. <paramref name="dChannels"/> (B, T, C)
    /// and <paramref name="dWide"/> (B, T, 4C) are scratch.
    /// </summary>
    public static void Backward(
        Span<float> dResidual, float[] gradients, BlockParameters p, BlockActivations acts,
        ReadOnlySpan<float> input, float[] parameters, Span<float> dChannels, Span<float> dWide,
        int batch, int time, int channels, int heads)
    {
        int bt = batch * time, c = channels;
        // 1. MLP branch; the gradient of its output is dResidual itself.
        Span<float> dFc = dWide[..(bt * 4 * c)];                           // (B, T, 4C)
        Linear.Backward(dFc, Slice(gradients, p.FcProjWeight), Slice(gradients, p.FcProjBias), dResidual,
            acts.FcGelu, Slice(parameters, p.FcProjWeight), bt, 4 * c, c);
        Gelu.Backward(dFc, acts.Fc, dFc, bt * 4 * c);
        Linear.Backward(dChannels, Slice(gradients, p.FcWeight), Slice(gradients, p.FcBias), dFc,
            acts.Norm2, Slice(parameters, p.FcWeight), bt, c, 4 * c);
        LayerNorm.Backward(dResidual, Slice(gradients, p.Norm2Weight), Slice(gradients, p.Norm2Bias), dChannels,
            acts.Residual2, Slice(parameters, p.Norm2Weight), acts.Norm2Mean, acts.Norm2Rstd, bt, c);

        // 2. Attention branch, the same way.
        Linear.Backward(dChannels, Slice(gradients, p.AttentionProjWeight), Slice(gradients, p.AttentionProjBias), dResidual,
            acts.AttentionOutput, Slice(parameters, p.AttentionProjWeight), bt, c, c);
        Span<float> dQkv = dWide[..(bt * 3 * c)];                          // (B, T, 3C)
        CausalAttention.Backward(dQkv, dChannels, acts.Qkv, acts.AttentionLogSumExp, batch, time, c, heads);
        Linear.Backward(dChannels, Slice(gradients, p.QkvWeight), Slice(gradients, p.QkvBias), dQkv,
            acts.Norm1, Slice(parameters, p.QkvWeight), bt, c, 3 * c);
        LayerNorm.Backward(dResidual, Slice(gradients, p.Norm1Weight), Slice(gradients, p.Norm1Bias), dChannels,
            input, Slice(parameters, p.Norm1Weight), acts.Norm1Mean, acts.Norm1Rstd, bt, c);
    }

    private static Span<float> Slice(float[] arena, ParameterEntry entry) => arena.AsSpan(entry.Offset, entry.Length);
}
