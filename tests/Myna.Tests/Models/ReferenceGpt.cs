using Myna.Models;
using Myna.Models.Layers;

namespace Myna.Tests.Models;

/// <summary>
/// An independent, plain scalar, double-precision GPT-2 forward pass straight from the HF definition (pre-LN blocks,
/// GELU tanh, LayerNorm eps 1e-5, causal softmax attention scaled by 1/√hs, tied or untied head), reading parameters
/// through <see cref="ParameterLayout"/> names. The oracle for the model tests. B batch, T time, C channels, V vocab.
/// </summary>
internal sealed class ReferenceGpt(GptConfig config, ParameterLayout layout)
{
    /// <summary>
    /// Logits (B, T, V) for the given parameters; with <paramref name="dropout"/>, its masks (which values it keeps, and
    /// nothing else of its code) applied where GPT-2 drops out: the embedding output and each branch before the residual add.
    /// </summary>
    public double[] Logits(double[] p, int[] tokens, int batch, int time, Dropout dropout = default)
    {
        int c = config.EmbeddingSize, v = config.VocabSize, bt = batch * time;
        var x = new double[bt * c];
        int wte = layout["wte.weight"].Offset, wpe = layout["wpe.weight"].Offset;
        for (int r = 0; r < bt; r++)
        for (int i = 0; i < c; i++) x[r * c + i] = p[wte + tokens[r] * c + i] + p[wpe + r % time * c + i];
        DropOut(x, dropout, Dropout.EmbeddingSite);

        for (int l = 0; l < config.LayerCount; l++)
        {
            string h = $"h.{l}.";
            double[] a = LayerNorm(x, p, h + "ln_1", bt, c);
            double[] qkv = Linear(a, p, h + "attn.c_attn", bt, c, 3 * c);
            double[] y = Attention(qkv, batch, time, c, config.HeadCount);
            double[] proj = Linear(y, p, h + "attn.c_proj", bt, c, c);
            DropOut(proj, dropout, Dropout.AttentionSite(l));
            for (int i = 0; i < x.Length; i++) x[i] += proj[i];
            double[] m = LayerNorm(x, p, h + "ln_2", bt, c);
            double[] fc = Linear(m, p, h + "mlp.c_fc", bt, c, 4 * c);
            for (int i = 0; i < fc.Length; i++) fc[i] = Gelu(fc[i]);
            double[] mlp = Linear(fc, p, h + "mlp.c_proj", bt, 4 * c, c);
            DropOut(mlp, dropout, Dropout.MlpSite(l));
            for (int i = 0; i < x.Length; i++) x[i] += mlp[i];
        }
        double[] f = LayerNorm(x, p, "ln_f", bt, c);
        int head = layout[config.TiedEmbeddings ? "wte.weight" : "lm_head.weight"].Offset;
        var logits = new double[bt * v];
        for (int r = 0; r < bt; r++)
        for (int j = 0; j < v; j++)
        {
            double s = 0;
            for (int i = 0; i < c; i++) s += f[r * c + i] * p[head + j * c + i];
            logits[r * v + j] = s;
        }
        return logits;
    }

    /// <summary>Mean cross-entropy of the next-token targets.</summary>
    public double Loss(double[] p, int[] tokens, int[] targets, int batch, int time, Dropout dropout = default)
    {
        int v = config.VocabSize;
        double[] logits = Logits(p, tokens, batch, time, dropout);
        double total = 0;
        for (int r = 0; r < batch * time; r++)
        {
            double max = double.NegativeInfinity;
            for (int j = 0; j < v; j++) max = Math.Max(max, logits[r * v + j]);
            double sum = 0;
            for (int j = 0; j < v; j++) sum += Math.Exp(logits[r * v + j] - max);
            total += Math.Log(sum) + max - logits[r * v + targets[r]];
        }
        return total / (batch * time);
    }

    private static void DropOut(double[] values, Dropout dropout, int site)
    {
        if (!dropout.IsActive) return;
        for (int i = 0; i < values.Length; i++) values[i] = dropout.Keeps(site, i) ? values[i] / (1 - (double)dropout.Probability) : 0;
    }

    private double[] LayerNorm(double[] x, double[] p, string name, int rows, int c)
    {
        int w = layout[name + ".weight"].Offset, b = layout[name + ".bias"].Offset;
        var y = new double[rows * c];
        for (int r = 0; r < rows; r++)
        {
            double mean = 0, variance = 0;
            for (int i = 0; i < c; i++) mean += x[r * c + i];
            mean /= c;
            for (int i = 0; i < c; i++) variance += (x[r * c + i] - mean) * (x[r * c + i] - mean);
            double rstd = 1 / Math.Sqrt(variance / c + 1e-5);
            for (int i = 0; i < c; i++) y[r * c + i] = (x[r * c + i] - mean) * rstd * p[w + i] + p[b + i];
        }
        return y;
    }

    // HF Conv1D: y = x·W + b with W stored (in, out).
    private double[] Linear(double[] x, double[] p, string name, int rows, int inC, int outC)
    {
        int w = layout[name + ".weight"].Offset, b = layout[name + ".bias"].Offset;
        var y = new double[rows * outC];
        for (int r = 0; r < rows; r++)
        for (int o = 0; o < outC; o++)
        {
            double s = p[b + o];
            for (int i = 0; i < inC; i++) s += x[r * inC + i] * p[w + i * outC + o];
            y[r * outC + o] = s;
        }
        return y;
    }

    private static double[] Attention(double[] qkv, int batch, int time, int c, int heads)
    {
        int hs = c / heads;
        var y = new double[batch * time * c];
        var scores = new double[time];
        for (int b = 0; b < batch; b++)
        for (int h = 0; h < heads; h++)
        for (int t = 0; t < time; t++)
        {
            double max = double.NegativeInfinity;
            for (int t2 = 0; t2 <= t; t2++)
            {
                double s = 0;
                for (int i = 0; i < hs; i++) s += qkv[(b * time + t) * 3 * c + h * hs + i] * qkv[(b * time + t2) * 3 * c + c + h * hs + i];
                scores[t2] = s / Math.Sqrt(hs);
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

    private static double Gelu(double x) => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
}
