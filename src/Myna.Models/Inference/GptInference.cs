using Myna.Tensors;
using Myna.Tensors.Quantized;

namespace Myna.Models.Inference;

/// <summary>
/// GPT-2 inference with a key/value cache: the same computation as <see cref="GptModel"/>'s forward pass, but each
/// call only processes new tokens, attending over the keys and values cached for earlier ones. One instance serves up to
/// <see cref="MaxSequences"/> independent sequences; a call may append a prompt chunk to one sequence (prefill), one
/// token to each of many (batched decode, sharing every weight read), or a mix. The linear layers and the head are
/// stored as (out, in) rows in the chosen <see cref="InferencePrecision"/>, so a decode step streams each weight once.
/// N rows processed in a call, C channels, V vocabulary, NH heads, n_ctx the context length.
/// </summary>
public sealed class GptInference
{
    private readonly KeyValueCache _cache; // f32 at f32 precision, half precision below
    private readonly int[] _lengths;     // per sequence: positions cached
    private readonly bool[] _inCall;     // per sequence: already named in the current call
    private Scratch _scratch = new(0, 0, 0, 0);

    /// <summary>An engine for <paramref name="weights"/> with room for <paramref name="maxSequences"/> sequences of up to n_ctx tokens.</summary>
    public GptInference(GptWeights weights, int maxSequences = 1) : this(weights, maxSequences, InferencePrecision.F32)
    {
    }

    /// <summary>
    /// An engine for <paramref name="weights"/> with room for <paramref name="maxSequences"/> sequences, its linear
    /// layers and head converted to <paramref name="precision"/> for this engine alone. To share one conversion between
    /// engines, evaluators and a server, convert once with <see cref="InferenceWeights"/> and use the other constructor.
    /// </summary>
    public GptInference(GptWeights weights, int maxSequences, InferencePrecision precision)
        : this(new InferenceWeights(weights, precision), maxSequences)
    {
    }

    /// <summary>
    /// An engine over already converted <paramref name="weights"/> (shared, read-only) with its own key/value cache for
    /// <paramref name="maxSequences"/> sequences: a new engine costs only its cache.
    /// </summary>
    public GptInference(InferenceWeights weights, int maxSequences = 1)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSequences, 1);
        Converted = weights;
        MaxSequences = maxSequences;
        _inCall = new bool[maxSequences];
        _cache = new KeyValueCache(weights.Config, maxSequences, halfPrecision: weights.Precision != InferencePrecision.F32);
        _lengths = new int[maxSequences];
    }

    /// <summary>The converted weights computed with (shared with any other engine built over them).</summary>
    public InferenceWeights Converted { get; }

    /// <summary>How the linear layers and head are stored.</summary>
    public InferencePrecision Precision => Converted.Precision;

    /// <summary>Bytes of the linear layers and head as stored for this engine.</summary>
    public long WeightBytes => Converted.Bytes;

    /// <summary>The weights computed with.</summary>
    public GptWeights Weights => Converted.Source;

    /// <summary>The model's shape.</summary>
    public GptConfig Config => Weights.Config;

    /// <summary>How many sequences the cache holds.</summary>
    public int MaxSequences { get; }

    /// <summary>Bytes held by the key/value cache.</summary>
    public long CacheBytes => _cache.Bytes;

    /// <summary>Tokens cached for a sequence.</summary>
    public int Length(int sequence) => _lengths[sequence];

    /// <summary>Forgets a sequence's tokens so the slot can start a new one.</summary>
    public void Reset(int sequence) => _lengths[sequence] = 0;

    /// <summary>Keeps only the first <paramref name="length"/> cached tokens of a sequence (e.g. to branch from a shared prompt).</summary>
    public void Truncate(int sequence, int length)
    {
        if ((uint)length > (uint)_lengths[sequence]) throw new ArgumentOutOfRangeException(nameof(length), length, $"sequence {sequence} holds {_lengths[sequence]} tokens.");
        _lengths[sequence] = length;
    }

    /// <summary>Copies the cache of one sequence into another slot (so several continuations share one prefill).</summary>
    public void CopySequence(int from, int to)
    {
        int n = _lengths[from];
        _cache.Copy(from, to, n);
        _lengths[to] = n;
    }

    /// <summary>
    /// Appends chunk j = <paramref name="tokens"/>[offset_j .. offset_j + counts[j]) to sequence
    /// <paramref name="sequences"/>[j] for every j, and writes logits into <paramref name="logits"/>: (chunks, V) for the
    /// last token of each chunk, or (N, V) for every token when <paramref name="allPositions"/> is set. With
    /// <paramref name="everyPositionOf"/> (one flag per chunk), a flagged chunk gets a row for every one of its tokens
    /// and the others one for their last token, in chunk order (a server scoring one prompt's tokens while others decode).
    /// A chunk flagged in <paramref name="noLogitsOf"/> gets no row at all (a prompt whose next chunk is still to come:
    /// its tokens only fill the cache), so the head's product has no row for it.
    /// </summary>
    /// <exception cref="ArgumentException">Shapes disagree, a sequence repeats, or a token is outside the vocabulary.</exception>
    /// <exception cref="InvalidOperationException">A sequence would grow past the context length.</exception>
    public void Forward(ReadOnlySpan<int> sequences, ReadOnlySpan<int> counts, ReadOnlySpan<int> tokens, Span<float> logits, bool allPositions = false,
        ReadOnlySpan<bool> everyPositionOf = default, ReadOnlySpan<bool> noLogitsOf = default)
    {
        GptConfig config = Config;
        int chunks = sequences.Length, c = config.EmbeddingSize, v = config.VocabSize, ctx = config.ContextLength;
        if (counts.Length != chunks) throw new ArgumentException("sequences and counts must have the same length.");
        int rows = 0;
        Array.Clear(_inCall);
        for (int j = 0; j < chunks; j++)
        {
            int s = sequences[j];
            if ((uint)s >= (uint)MaxSequences) throw new ArgumentException($"sequence {s} is outside [0, {MaxSequences}).");
            if (_inCall[s]) throw new ArgumentException($"sequence {s} appears twice in one call.");
            _inCall[s] = true;
            if (counts[j] < 1) throw new ArgumentException($"chunk {j} is empty.");
            if (_lengths[s] + counts[j] > ctx)
                throw new InvalidOperationException($"sequence {s} would hold {_lengths[s] + counts[j]} tokens; the model's context is {ctx}.");
            rows += counts[j];
        }
        if (tokens.Length != rows) throw new ArgumentException($"{rows} tokens expected (the sum of counts), {tokens.Length} given.");
        foreach (int t in tokens)
        {
            if ((uint)t >= (uint)v) throw new ArgumentException($"token {t} is outside the vocabulary [0, {v}).");
        }
        if (everyPositionOf.Length is not 0 && everyPositionOf.Length != chunks) throw new ArgumentException("everyPositionOf needs one flag per chunk.");
        if (noLogitsOf.Length is not 0 && noLogitsOf.Length != chunks) throw new ArgumentException("noLogitsOf needs one flag per chunk.");
        if (noLogitsOf.Length is not 0 && allPositions) throw new ArgumentException("allPositions gives every token a row; noLogitsOf cannot take them away.");
        int outputRows = 0;
        for (int j = 0; j < chunks; j++)
        {
            if (everyPositionOf.Length > 0 && everyPositionOf[j] && noLogitsOf.Length > 0 && noLogitsOf[j])
                throw new ArgumentException($"chunk {j} is flagged for a row per token and for none.");
            outputRows += allPositions ? counts[j] : LogitRows(j, counts, everyPositionOf, noLogitsOf);
        }
        if (logits.Length < (long)outputRows * v) throw new ArgumentException($"logits holds {logits.Length} values; {(long)outputRows * v} are needed.", nameof(logits));

        Scratch w = Workspace(rows, c, config.HeadCount, ctx);
        int[] rowSequence = w.RowSequence, rowPosition = w.RowPosition, cacheStart = w.CacheStart, rowLength = w.RowLength;
        for (int j = 0, r = 0; j < chunks; j++)
        {
            for (int t = 0; t < counts[j]; t++, r++)
            {
                rowSequence[r] = sequences[j];
                rowPosition[r] = _lengths[sequences[j]] + t;
                cacheStart[r] = _cache.SequenceStart(sequences[j]);
                rowLength[r] = rowPosition[r] + 1; // causal: a row sees its own position and those before it
            }
        }

        // 1. Token and position embeddings: x (N, C).
        Span<float> x = w.X.AsSpan(0, rows * c);
        Span<float> wte = Weights.Of(Weights.Layout.TokenEmbedding), wpe = Weights.Of(Weights.Layout.PositionEmbedding);
        for (int r = 0; r < rows; r++)
        {
            Span<float> row = x.Slice(r * c, c);
            wte.Slice(tokens[r] * c, c).CopyTo(row);
            VectorAdd(wpe.Slice(rowPosition[r] * c, c), row);
        }

        // 2. The blocks.
        Span<float> ln = w.Norm.AsSpan(0, rows * c), qkv = w.Qkv.AsSpan(0, rows * 3 * c), att = w.Attention.AsSpan(0, rows * c);
        Span<float> fc = w.Fc.AsSpan(0, rows * 4 * c), mean = w.Mean.AsSpan(0, rows), rstd = w.Rstd.AsSpan(0, rows);
        for (int l = 0; l < config.LayerCount; l++)
        {
            BlockParameters p = Weights.Layout.Blocks[l];
            InferenceWeights.LayerMatrices m = Converted.Layer(l);
            LayerNorm.Forward(ln, mean, rstd, x, Weights.Of(p.Norm1Weight), Weights.Of(p.Norm1Bias), rows, c);
            QuantizedMatMul.Multiply(ln, m.Qkv, qkv, rows, bias: Weights.Of(p.QkvBias));
            for (int r = 0; r < rows; r++)
                _cache.Store(l, rowSequence[r], rowPosition[r], qkv.Slice(r * 3 * c + c, c), qkv.Slice(r * 3 * c + 2 * c, c));
            _cache.Attend(l, att, qkv, cacheStart.AsSpan(0, rows), rowLength.AsSpan(0, rows), rows, w.Scores);
            QuantizedMatMul.Multiply(att, m.AttentionProj, x, rows, Weights.Of(p.AttentionProjBias), accumulate: true);

            LayerNorm.Forward(ln, mean, rstd, x, Weights.Of(p.Norm2Weight), Weights.Of(p.Norm2Bias), rows, c);
            QuantizedMatMul.Multiply(ln, m.Fc, fc, rows);
            Gelu.Forward(fc, fc, rows * 4 * c, Weights.Of(p.FcBias));
            QuantizedMatMul.Multiply(fc, m.FcProj, x, rows, Weights.Of(p.FcProjBias), accumulate: true);
        }

        // 3. Final norm over the rows whose logits are wanted, then logits = x·headᵀ (the head is (V, C)).
        Span<float> final = w.Norm.AsSpan(0, outputRows * c);
        if (allPositions)
        {
            LayerNorm.Forward(final, mean, rstd, x, Weights.Of(Weights.Layout.FinalNormWeight), Weights.Of(Weights.Layout.FinalNormBias), rows, c);
        }
        else
        {
            Span<float> last = w.Qkv.AsSpan(0, outputRows * c);
            for (int j = 0, end = 0, o = 0; j < chunks; j++)
            {
                end += counts[j];
                int take = LogitRows(j, counts, everyPositionOf, noLogitsOf);
                x.Slice((end - take) * c, take * c).CopyTo(last.Slice(o * c, take * c));
                o += take;
            }
            if (outputRows > 0)
                LayerNorm.Forward(final, mean, rstd, last, Weights.Of(Weights.Layout.FinalNormWeight), Weights.Of(Weights.Layout.FinalNormBias), outputRows, c);
        }
        if (outputRows > 0) QuantizedMatMul.Multiply(final, Converted.Head, logits, outputRows);

        for (int j = 0; j < chunks; j++) _lengths[sequences[j]] += counts[j];
    }

    /// <summary>Logits rows chunk <paramref name="chunk"/> gets: none, one per token, or one for its last token.</summary>
    private static int LogitRows(int chunk, ReadOnlySpan<int> counts, ReadOnlySpan<bool> everyPositionOf, ReadOnlySpan<bool> noLogitsOf) =>
        noLogitsOf.Length > 0 && noLogitsOf[chunk] ? 0 : everyPositionOf.Length > 0 && everyPositionOf[chunk] ? counts[chunk] : 1;

    /// <summary>Logits for the last token after appending <paramref name="tokens"/> to one sequence.</summary>
    public float[] Forward(int sequence, ReadOnlySpan<int> tokens)
    {
        var logits = new float[Config.VocabSize];
        Forward([sequence], [tokens.Length], tokens, logits);
        return logits;
    }

    private static void VectorAdd(ReadOnlySpan<float> source, Span<float> destination)
    {
        System.Numerics.Tensors.TensorPrimitives.Add(source, destination, destination);
    }

    private Scratch Workspace(int rows, int c, int heads, int ctx)
    {
        if (_scratch.Rows < rows) _scratch = new Scratch(Math.Max(rows, _scratch.Rows * 2), c, heads, ctx);
        return _scratch;
    }

    /// <summary>Buffers for one call, sized for a number of rows and grown on demand.</summary>
    private sealed class Scratch(int rows, int c, int heads, int ctx)
    {
        public int Rows { get; } = rows;
        public float[] X { get; } = new float[(long)rows * c];           // (N, C)
        public float[] Norm { get; } = new float[(long)rows * c];        // (N, C)
        public float[] Qkv { get; } = new float[(long)rows * 3 * c];     // (N, 3C)
        public float[] Attention { get; } = new float[(long)rows * c];   // (N, C)
        public float[] Fc { get; } = new float[(long)rows * 4 * c];      // (N, 4C)
        public float[] Mean { get; } = new float[rows];
        public float[] Rstd { get; } = new float[rows];
        public float[] Scores { get; } = new float[(long)rows * heads * ctx]; // (N, NH, ≤n_ctx)
        public int[] RowSequence { get; } = new int[rows];
        public int[] RowPosition { get; } = new int[rows];
        public int[] CacheStart { get; } = new int[rows];
        public int[] RowLength { get; } = new int[rows];
    }
}
