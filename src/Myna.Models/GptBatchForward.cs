using Myna.Models.Layers;
using Myna.Tensors;

namespace Myna.Models;

/// <summary>
/// <see cref="GptModel"/>'s forward pass for scoring: per-token losses of (B, T) batches of whole sequences, with the
/// training forward's kernels in the same order (GEMM linear layers, causal attention over each sequence) but nothing
/// kept for a backward pass. One set of buffers serves every layer (the residual stream is updated in place, where the
/// training forward keeps each block's output), and the final norm, the LM head and the softmax run only for rows whose
/// target is scored, so overlapping windows (strided perplexity) do not pay the head for their context-only rows.
/// B batch, T time, C channels, V vocabulary, NH heads; R scored rows.
/// </summary>
public sealed class GptBatchForward
{
    /// <summary>
    /// Logits held at a time, in floats (64 MiB): the head runs over scored rows in chunks of this many values, bounding
    /// memory for large vocabularies while keeping each chunk's GEMM tall enough to amortise packing the head.
    /// </summary>
    private const int LogitBudget = 16 << 20;

    private readonly GptWeights _weights;
    private readonly float[] _x;          // (B, T, C) residual stream
    private readonly float[] _norm;       // (B, T, C)
    private readonly float[] _qkv;        // (B, T, 3C)
    private readonly float[] _attention;  // (B, T, C); also the gathered scored rows (R ≤ B·T, C) before the final norm
    private readonly float[] _fc;         // (B, T, 4C)
    private readonly float[] _mean;       // (B, T)
    private readonly float[] _rstd;       // (B, T)
    private readonly float[] _logSumExp;  // (B, NH, T)
    private readonly float[] _logits;     // (chunk, V)
    private readonly int[] _rowOf;        // (B·T) scored row → its index in the batch
    private readonly int[] _chunkTargets; // (chunk)
    private readonly float[] _chunkLosses; // (chunk)

    /// <summary>A pass over batches of up to <paramref name="batchSize"/> sequences of <paramref name="sequenceLength"/> tokens.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The batch size is below 1 or the sequence length is outside [1, n_ctx].</exception>
    public GptBatchForward(GptWeights weights, int batchSize, int sequenceLength) : this(weights, batchSize, sequenceLength, LogitBudget)
    {
    }

    /// <summary>A pass whose head runs over at most <paramref name="logitBudget"/> logits at a time (tests shrink it to cover several chunks).</summary>
    internal GptBatchForward(GptWeights weights, int batchSize, int sequenceLength, int logitBudget)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sequenceLength, 1);
        GptConfig config = weights.Config;
        if (sequenceLength > config.ContextLength)
            throw new ArgumentOutOfRangeException(nameof(sequenceLength), sequenceLength, $"the sequence length must not exceed the context length {config.ContextLength}.");
        _weights = weights;
        BatchSize = batchSize;
        SequenceLength = sequenceLength;
        int bt = batchSize * sequenceLength, c = config.EmbeddingSize, v = config.VocabSize;
        _x = new float[(long)bt * c];
        _norm = new float[(long)bt * c];
        _qkv = new float[(long)bt * 3 * c];
        _attention = new float[(long)bt * c];
        _fc = new float[(long)bt * 4 * c];
        _mean = new float[bt];
        _rstd = new float[bt];
        _logSumExp = new float[(long)bt * config.HeadCount];
        ChunkRows = Math.Clamp(logitBudget / v, 1, bt);
        _logits = new float[(long)ChunkRows * v];
        _rowOf = new int[bt];
        _chunkTargets = new int[ChunkRows];
        _chunkLosses = new float[ChunkRows];
    }

    /// <summary>The model's shape.</summary>
    public GptConfig Config => _weights.Config;

    /// <summary>B: sequences a call may hold at most.</summary>
    public int BatchSize { get; }

    /// <summary>T: tokens per sequence.</summary>
    public int SequenceLength { get; }

    /// <summary>Scored rows whose logits are held at a time.</summary>
    public int ChunkRows { get; }

    /// <summary>
    /// Runs <paramref name="batch"/> sequences <paramref name="tokens"/> (batch, T) and writes
    /// <paramref name="losses"/>[i] = −ln p(<paramref name="targets"/>[i] | tokens of its sequence up to i) for every row
    /// whose target is not <see cref="GptModel.IgnoreIndex"/>, 0 for the others: the per-row terms of the training loss.
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than batch·T.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The batch is outside [1, B], or a token or target is outside [0, V).</exception>
    public void Losses(ReadOnlySpan<int> tokens, ReadOnlySpan<int> targets, Span<float> losses, int batch)
    {
        if (batch < 1 || batch > BatchSize) throw new ArgumentOutOfRangeException(nameof(batch), batch, $"the batch must be in [1, {BatchSize}].");
        GptConfig config = Config;
        int time = SequenceLength, bt = batch * time, c = config.EmbeddingSize, v = config.VocabSize;
        if (tokens.Length < bt) throw new ArgumentException($"tokens holds {tokens.Length} ids; {batch}·{time} = {bt} are needed.", nameof(tokens));
        if (targets.Length < bt) throw new ArgumentException($"targets holds {targets.Length} ids; {bt} are needed.", nameof(targets));
        if (losses.Length < bt) throw new ArgumentException($"losses holds {losses.Length} values; {bt} are needed.", nameof(losses));
        ParameterLayout layout = _weights.Layout;
        Span<float> x = _x.AsSpan(0, bt * c);
        Embedding.Forward(x, tokens[..bt], _weights.Of(layout.TokenEmbedding), _weights.Of(layout.PositionEmbedding), batch, time, c);

        // 1. The blocks, as TransformerBlock.Forward computes them, but adding each branch onto the stream in place.
        Span<float> norm = _norm.AsSpan(0, bt * c), qkv = _qkv.AsSpan(0, bt * 3 * c), attention = _attention.AsSpan(0, bt * c);
        Span<float> fc = _fc.AsSpan(0, bt * 4 * c), mean = _mean.AsSpan(0, bt), rstd = _rstd.AsSpan(0, bt);
        for (int l = 0; l < config.LayerCount; l++)
        {
            BlockParameters p = layout.Blocks[l];
            LayerNorm.Forward(norm, mean, rstd, x, _weights.Of(p.Norm1Weight), _weights.Of(p.Norm1Bias), bt, c);
            Linear.Forward(qkv, norm, _weights.Of(p.QkvWeight), _weights.Of(p.QkvBias), bt, c, 3 * c);
            CausalAttention.Forward(attention, _logSumExp, qkv, batch, time, c, config.HeadCount);
            Gemm.Multiply(attention, _weights.Of(p.AttentionProjWeight), x, bt, c, c, GemmLayout.NN, accumulate: true, bias: _weights.Of(p.AttentionProjBias));

            LayerNorm.Forward(norm, mean, rstd, x, _weights.Of(p.Norm2Weight), _weights.Of(p.Norm2Bias), bt, c);
            Linear.Forward(fc, norm, _weights.Of(p.FcWeight), _weights.Of(p.FcBias), bt, c, 4 * c);
            Gelu.Forward(fc, fc, bt * 4 * c);
            Gemm.Multiply(fc, _weights.Of(p.FcProjWeight), x, bt, c, 4 * c, GemmLayout.NN, accumulate: true, bias: _weights.Of(p.FcProjBias));
        }

        // 2. The scored rows only, in chunks: gather (R, C), final norm, logits (R, V) = lnf · W_headᵀ, loss per row.
        int scored = 0;
        for (int i = 0; i < bt; i++)
        {
            losses[i] = 0f;
            if (targets[i] != GptModel.IgnoreIndex) _rowOf[scored++] = i;
        }
        for (int first = 0; first < scored; first += ChunkRows)
        {
            int rows = Math.Min(ChunkRows, scored - first);
            Span<float> gathered = attention[..(rows * c)];
            for (int r = 0; r < rows; r++)
            {
                int i = _rowOf[first + r];
                x.Slice(i * c, c).CopyTo(gathered.Slice(r * c, c));
                _chunkTargets[r] = targets[i];
            }
            Span<float> final = norm[..(rows * c)];
            LayerNorm.Forward(final, mean, rstd, gathered, _weights.Of(layout.FinalNormWeight), _weights.Of(layout.FinalNormBias), rows, c);
            Span<float> logits = _logits.AsSpan(0, rows * v);
            Gemm.Multiply(final, _weights.Of(layout.LanguageModelHead), logits, rows, v, c, GemmLayout.NT);
            SoftmaxCrossEntropy.Forward(_chunkLosses, logits, _chunkTargets, rows, v, GptModel.IgnoreIndex);
            for (int r = 0; r < rows; r++) losses[_rowOf[first + r]] = _chunkLosses[r];
        }
    }
}
