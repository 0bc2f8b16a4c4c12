using System.Numerics.Tensors;
using Myna.Generation;
using Myna.Models;
using Myna.Models.Inference;
using Myna.Models.Perplexity;

namespace Myna.Evaluation.Perplexity;

/// <summary>
/// Perplexity of a token sequence with a strided sliding window, the method of Hugging Face's perplexity guide: the
/// window (at most n_ctx tokens) moves <c>stride</c> tokens at a time and scores only the tokens it has not scored
/// before, so each of them is predicted with at least window − stride tokens of context. Here every token after the
/// first is scored exactly once (the guide's label masking loses one token per window; we do not), which is why a
/// stride equal to the window advances by window − 1: the first scored token always has context
/// (<see cref="PerplexityWindows"/>).
/// </summary>
public static class PerplexityEvaluator
{
    /// <summary>
    /// Logits held at a time by the inference engine, in floats (16 MiB): bounds memory whatever the window, while
    /// letting a small vocabulary score a whole window in one forward pass (more rows per pass read each weight matrix
    /// fewer times).
    /// </summary>
    private const int LogitBudget = 4 << 20;

    /// <summary>Rows per engine pass at least, even for a vocabulary so large the budget would allow fewer.</summary>
    private const int MinimumChunk = 64;


    /// <summary>Scores <paramref name="tokens"/>; <paramref name="progress"/> receives the fraction done.</summary>
    /// <exception cref="ArgumentException">
    /// Fewer than two tokens, a bad stride or window, a token outside the vocabulary, or
    /// <see cref="PerplexityMethod.BatchedForward"/> asked of a model that is not at f32 precision.
    /// </exception>
    public static PerplexityResult Evaluate(GptLanguageModel model, ReadOnlySpan<int> tokens, int? stride = null, int? window = null,
        IProgress<double>? progress = null, CancellationToken cancellation = default, PerplexityMethod method = PerplexityMethod.Auto)
    {
        ArgumentNullException.ThrowIfNull(model);
        (int context, int step) = PerplexityWindows.Resolve(model.Config.ContextLength, tokens.Length, stride, window);
        int vocab = model.Config.VocabSize;
        foreach (int t in tokens)
        {
            if ((uint)t >= (uint)vocab) throw new ArgumentException($"token {t} is outside the vocabulary [0, {vocab}).");
        }
        IReadOnlyList<PerplexityWindow> windows = PerplexityWindows.Plan(tokens.Length, context, step);
        if (method == PerplexityMethod.Auto)
            method = model.Precision == InferencePrecision.F32 ? PerplexityMethod.BatchedForward : PerplexityMethod.KeyValueCache;
        (double nll, long scored) = method switch
        {
            PerplexityMethod.BatchedForward when model.Precision != InferencePrecision.F32 =>
                throw new ArgumentException($"the batched forward computes at f32 from the model's f32 weights; this model runs at {model.Precision}, which only the key/value-cache engine measures."),
            PerplexityMethod.BatchedForward => WindowedLoss.Score(model.Weights, tokens, windows, progress, cancellation),
            PerplexityMethod.KeyValueCache => ScoreWithEngine(model.InferenceWeights, tokens, windows, progress, cancellation),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "unknown perplexity method."),
        };
        return new PerplexityResult(scored, nll, 0, context, step);
    }

    /// <summary>
    /// The inference engine window by window: the unscored context as one prefill whose logits are not needed, then the
    /// scored tokens in chunks with logits for every position.
    /// </summary>
    private static (double Nll, long Scored) ScoreWithEngine(InferenceWeights weights, ReadOnlySpan<int> tokens, IReadOnlyList<PerplexityWindow> windows,
        IProgress<double>? progress, CancellationToken cancellation)
    {
        int vocab = weights.Config.VocabSize;
        int chunk = Math.Max(MinimumChunk, LogitBudget / vocab);
        // The model's own converted weights (f32, f16 or int8, shared with its generation), so quantisation's effect on
        // quality can be measured; only the cache is this evaluation's own.
        var engine = new GptInference(weights, 1);
        var logits = new float[chunk * vocab];
        var scratch = new float[vocab];
        double nll = 0;
        long scored = 0;
        foreach (PerplexityWindow w in windows)
        {
            cancellation.ThrowIfCancellationRequested();
            engine.Reset(0);

            // 1. Context the window sees but does not score, as one prefill (its logits are not needed).
            int prefix = w.FirstScored - 1 - w.Start;
            if (prefix > 0) engine.Forward(0, tokens.Slice(w.Start, prefix));

            // 2. Feed tokens [FirstScored − 1, End − 1) in chunks; row r predicts the token after it.
            for (int from = w.FirstScored - 1; from < w.End - 1; from += chunk)
            {
                int count = Math.Min(chunk, w.End - 1 - from);
                engine.Forward([0], [count], tokens.Slice(from, count), logits, allPositions: true);
                for (int r = 0; r < count; r++)
                {
                    nll -= LogSoftmaxAt(logits.AsSpan(r * vocab, vocab), tokens[from + r + 1], scratch);
                    scored++;
                }
            }
            progress?.Report((double)w.End / tokens.Length);
        }
        return (nll, scored);
    }

    /// <summary>
    /// log softmax of one entry, vectorised: f32 exponentials (as the training loss computes them) summed in f32 lanes;
    /// over a 50k vocabulary the sum's relative error stays near 1e-6, far below what a perplexity is read to.
    /// </summary>
    private static double LogSoftmaxAt(ReadOnlySpan<float> logits, int index, Span<float> scratch)
    {
        float max = TensorPrimitives.Max(logits);
        TensorPrimitives.Subtract(logits, max, scratch);
        TensorPrimitives.Exp(scratch, scratch);
        double sum = TensorPrimitives.Sum(scratch);
        return logits[index] - max - Math.Log(sum);
    }
}
