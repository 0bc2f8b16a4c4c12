namespace Myna.Tests.Tensors;

/// <summary>
/// Plain scalar double-precision twins of the SIMD kernels: the test oracles. Written for clarity, not speed;
/// same dimension letters as the kernels (B batch, T time, C channels, NH heads, V vocabulary).
/// </summary>
internal static class KernelReference
{
    public static double[] LayerNorm(double[] x, double[] w, double[] b, int rows, int c)
    {
        var y = new double[rows * c];
        for (int r = 0; r < rows; r++)
        {
            double mean = 0;
            for (int i = 0; i < c; i++) mean += x[r * c + i];
            mean /= c;
            double variance = 0;
            for (int i = 0; i < c; i++) variance += (x[r * c + i] - mean) * (x[r * c + i] - mean);
            variance /= c;
            double rstd = 1 / Math.Sqrt(variance + 1e-5);
            for (int i = 0; i < c; i++) y[r * c + i] = (x[r * c + i] - mean) * rstd * w[i] + b[i];
        }
        return y;
    }

    public static double Gelu(double x) => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));

    public static double[] Attention(double[] qkv, int batch, int time, int c, int heads)
    {
        int hs = c / heads;
        var y = new double[batch * time * c];
        double scale = 1 / Math.Sqrt(hs);
        for (int b = 0; b < batch; b++)
        for (int h = 0; h < heads; h++)
        for (int t = 0; t < time; t++)
        {
            var scores = new double[t + 1];
            double max = double.NegativeInfinity;
            for (int t2 = 0; t2 <= t; t2++)
            {
                double s = 0;
                for (int i = 0; i < hs; i++) s += qkv[(b * time + t) * 3 * c + h * hs + i] * qkv[(b * time + t2) * 3 * c + c + h * hs + i];
                scores[t2] = s * scale;
                max = Math.Max(max, scores[t2]);
            }
            double sum = 0;
            for (int t2 = 0; t2 <= t; t2++) sum += scores[t2] = Math.Exp(scores[t2] - max);
            for (int t2 = 0; t2 <= t; t2++)
            for (int i = 0; i < hs; i++)
                y[(b * time + t) * c + h * hs + i] += scores[t2] / sum * qkv[(b * time + t2) * 3 * c + 2 * c + h * hs + i];
        }
        return y;
    }

    /// <summary>log Σ_t2≤t exp(q_t·k_t2 / √hs) for every (b, h, t), laid out (B, NH, T).</summary>
    public static double[] AttentionLogSumExp(double[] qkv, int batch, int time, int c, int heads)
    {
        int hs = c / heads;
        var lse = new double[batch * heads * time];
        for (int b = 0; b < batch; b++)
        for (int h = 0; h < heads; h++)
        for (int t = 0; t < time; t++)
        {
            double sum = 0;
            for (int t2 = 0; t2 <= t; t2++)
            {
                double s = 0;
                for (int i = 0; i < hs; i++) s += qkv[(b * time + t) * 3 * c + h * hs + i] * qkv[(b * time + t2) * 3 * c + c + h * hs + i];
                sum += Math.Exp(s / Math.Sqrt(hs));
            }
            lse[(b * heads + h) * time + t] = Math.Log(sum);
        }
        return lse;
    }

    /// <summary>Per-row cross-entropy; ignored rows give 0.</summary>
    public static double[] CrossEntropy(double[] logits, int[] targets, int rows, int vocab, int ignoreIndex = -100)
    {
        var losses = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            if (targets[r] == ignoreIndex) continue;
            double max = double.NegativeInfinity;
            for (int j = 0; j < vocab; j++) max = Math.Max(max, logits[r * vocab + j]);
            double sum = 0;
            for (int j = 0; j < vocab; j++) sum += Math.Exp(logits[r * vocab + j] - max);
            losses[r] = Math.Log(sum) + max - logits[r * vocab + targets[r]];
        }
        return losses;
    }
}
