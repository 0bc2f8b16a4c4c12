using Myna.Tensors;

namespace Myna.Models.Layers;

/// <summary>
/// One pre-LayerNorm GPT-2 block: <c>x + attn(ln_1(x))</c>, then <c>+ mlp(ln_2(·))</c>, with the MLP
/// <c>c_proj(gelu(c_fc(·)))</c>. B batch, T time, C channels, NH heads. In training with <see cref="Dropout"/>, each
/// branch's projection is dropped out before it joins the residual stream (GPT-2's <c>resid_pdrop</c>).
/// </summary>
public static class TransformerBlock
{
    /// <summary>
    /// Runs block <paramref name="layer"/> on <paramref name="input"/> (B, T, C); the output is
    /// <see cref="BlockActivations.Residual3"/>. <paramref name="dropout"/> is <see cref="Dropout.None"/> outside training.
    /// </summary>
    public static void Forward(
        BlockActivations acts, ReadOnlySpan<float> input, float[] parameters, BlockParameters p,
        int batch, int time, int channels, int heads, int layer = 0, Dropout dropout = default)
    {
        int bt = batch * time, c = channels;
        LayerNorm.Forward(acts.Norm1, acts.Norm1Mean, acts.Norm1Rstd, input, Slice(parameters, p.Norm1Weight), Slice(parameters, p.Norm1Bias), bt, c);
        Linear.Forward(acts.Qkv, acts.Norm1, Slice(parameters, p.QkvWeight), Slice(parameters, p.QkvBias), bt, c, 3 * c);
        CausalAttention.Forward(acts.AttentionOutput, acts.AttentionLogSumExp, acts.Qkv, batch, time, c, heads);
        JoinBranch(acts.Residual2, input, acts.AttentionOutput, Slice(parameters, p.AttentionProjWeight), Slice(parameters, p.AttentionProjBias),
            bt, c, c, dropout, Dropout.AttentionSite(layer));

        LayerNorm.Forward(acts.Norm2, acts.Norm2Mean, acts.Norm2Rstd, acts.Residual2, Slice(parameters, p.Norm2Weight), Slice(parameters, p.Norm2Bias), bt, c);
        Linear.Forward(acts.Fc, acts.Norm2, Slice(parameters, p.FcWeight), Slice(parameters, p.FcBias), bt, c, 4 * c);
        Gelu.Forward(acts.FcGelu, acts.Fc, bt * 4 * c);
        JoinBranch(acts.Residual3, acts.Residual2, acts.FcGelu, Slice(parameters, p.FcProjWeight), Slice(parameters, p.FcProjBias),
            bt, 4 * c, c, dropout, Dropout.MlpSite(layer));
    }

    /// <summary>output = skip + dropout(branch·W + b), W (IC, OC).</summary>
    private static void JoinBranch(Span<float> output, ReadOnlySpan<float> skip, ReadOnlySpan<float> branch, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        int rows, int inChannels, int outChannels, Dropout dropout, int site)
    {
        int count = rows * outChannels;
        if (!dropout.IsActive)
        {
            // The GEMM accumulates onto a copy of the skip path, so the projection needs no buffer.
            skip[..count].CopyTo(output);
            Gemm.Multiply(branch, weight, output, rows, outChannels, inChannels, GemmLayout.NN, accumulate: true, bias: bias);
            return;
        }
        Gemm.Multiply(branch, weight, output, rows, outChannels, inChannels, GemmLayout.NN, bias: bias);
        dropout.Apply(output[..count], site);
        Residual.Forward(output, skip, output, count);
    }

    /// <summary>
    /// Backward of <see cref="Forward"/>. <paramref name="dResidual"/> (B, T, C) holds d loss / d block output on entry
    /// and d loss / d block input on return: the skip connections pass it through unchanged and each LayerNorm
    /// backward adds its branch's share (+=). Parameter gradients accumulate. <paramref name="dChannels"/> (B, T, C)
    /// and <paramref name="dWide"/> (B, T, 4C) are scratch, and so is <paramref name="dBranch"/> (B, T, C) when
    /// <paramref name="dropout"/> (the forward pass's) is active.
    /// </summary>
    public static void Backward(
        Span<float> dResidual, float[] gradients, BlockParameters p, BlockActivations acts,
        ReadOnlySpan<float> input, float[] parameters, Span<float> dChannels, Span<float> dWide,
        int batch, int time, int channels, int heads, int layer = 0, Dropout dropout = default, Span<float> dBranch = default)
    {
        int bt = batch * time, c = channels;
        // 1. MLP branch; the gradient of its output is dResidual itself, through the dropout mask where there is one.
        Span<float> dFc = dWide[..(bt * 4 * c)];                           // (B, T, 4C)
        Linear.Backward(dFc, Slice(gradients, p.FcProjWeight), Slice(gradients, p.FcProjBias), dropout.Backward(dResidual, dBranch, bt * c, Dropout.MlpSite(layer)),
            acts.FcGelu, Slice(parameters, p.FcProjWeight), bt, 4 * c, c);
        Gelu.Backward(dFc, acts.Fc, dFc, bt * 4 * c);
        Linear.Backward(dChannels, Slice(gradients, p.FcWeight), Slice(gradients, p.FcBias), dFc,
            acts.Norm2, Slice(parameters, p.FcWeight), bt, c, 4 * c);
        LayerNorm.Backward(dResidual, Slice(gradients, p.Norm2Weight), Slice(gradients, p.Norm2Bias), dChannels,
            acts.Residual2, Slice(parameters, p.Norm2Weight), acts.Norm2Mean, acts.Norm2Rstd, bt, c);

        // 2. Attention branch, the same way.
        Linear.Backward(dChannels, Slice(gradients, p.AttentionProjWeight), Slice(gradients, p.AttentionProjBias),
            dropout.Backward(dResidual, dBranch, bt * c, Dropout.AttentionSite(layer)),
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
