using Myna.Models.Layers;
using Myna.Tensors;

namespace Myna.Models;

/// <summary>
/// GPT-2 (Hugging Face <c>GPT2LMHeadModel</c> semantics) for training and inference on fixed (B, T) batches:
/// embedding → L pre-LN blocks → ln_f → logits = x·wteᵀ (tied) → mean cross-entropy.
/// Parameters and gradients live in two flat arenas laid out by <see cref="Layout"/>; every activation is allocated
/// once in the constructor, so a training step allocates no buffers.
/// B batch, T time, C channels, V vocabulary, L layers, NH heads.
/// </summary>
public sealed class GptModel
{
    /// <summary>Target id that contributes neither loss nor gradient (PyTorch's default ignore_index).</summary>
    public const int IgnoreIndex = -100;

    // Standard deviation of GPT-2's normal initialisation for weights and embeddings.
    private const double InitStd = 0.02;

    // Parameters per parallel task when initialising (counter-based, so the split does not change the values).
    private const int InitGrain = 64 * 1024;

    private readonly GptActivations _acts;
    private bool _gradientReady;
    private Dropout _dropout; // the last training forward pass's, which its backward pass must use

    /// <summary>Builds a model for batches of <paramref name="batchSize"/> sequences of <paramref name="sequenceLength"/> tokens; parameters start at zero.</summary>
    /// <exception cref="ArgumentException">The configuration is invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The batch size is below 1 or the sequence length is outside [1, n_ctx].</exception>
    public GptModel(GptConfig config, int batchSize, int sequenceLength)
    {
        ArgumentNullException.ThrowIfNull(config);
        Layout = ParameterLayout.ForConfig(config);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sequenceLength, 1);
        if (sequenceLength > config.ContextLength)
            throw new ArgumentOutOfRangeException(nameof(sequenceLength), sequenceLength, $"the sequence length must not exceed the context length {config.ContextLength}.");
        Config = config;
        BatchSize = batchSize;
        SequenceLength = sequenceLength;
        ParameterArena = new float[Layout.TotalLength];
        GradientArena = new float[Layout.TotalLength];
        _acts = new GptActivations(config, batchSize, sequenceLength);
    }

    /// <summary>
    /// Bytes a training run of this shape needs: parameters, gradients and the two AdamW moments (16 bytes a parameter)
    /// plus the activations of one (B, T) step. Counted in 64 bits, before anything is allocated.
    /// </summary>
    public static long EstimateTrainingBytes(GptConfig config, int batchSize, int sequenceLength)
    {
        ArgumentNullException.ThrowIfNull(config);
        return 16 * config.ParameterCount + GptActivations.ByteCount(config, batchSize, sequenceLength);
    }

    /// <summary>The model's shape.</summary>
    public GptConfig Config { get; }

    /// <summary>B: sequences per forward pass.</summary>
    public int BatchSize { get; }

    /// <summary>T: tokens per sequence.</summary>
    public int SequenceLength { get; }

    /// <summary>Where each tensor lives in <see cref="Parameters"/> and <see cref="Gradients"/>.</summary>
    public ParameterLayout Layout { get; }

    /// <summary>Number of parameters.</summary>
    public int ParameterCount => Layout.TotalLength;

    /// <summary>All parameters, laid out by <see cref="Layout"/>.</summary>
    public Span<float> Parameters => ParameterArena;

    /// <summary>All gradients, laid out by <see cref="Layout"/>; <see cref="Backward"/> adds to them.</summary>
    public Span<float> Gradients => GradientArena;

    /// <summary>The activations of the last forward pass (for tests and diagnostics).</summary>
    public GptActivations Activations => _acts;

    internal float[] ParameterArena { get; }

    internal float[] GradientArena { get; }

    /// <summary>The parameters of one tensor.</summary>
    public Span<float> Parameter(ParameterEntry entry) => ParameterArena.AsSpan(entry.Offset, entry.Length);

    /// <summary>The gradient of one tensor.</summary>
    public Span<float> Gradient(ParameterEntry entry) => GradientArena.AsSpan(entry.Offset, entry.Length);

    /// <summary>
    /// GPT-2 initialisation, deterministic from <paramref name="seed"/> on every platform and thread count: weights and
    /// embeddings normal(0, 0.02), the residual projections (attn.c_proj, mlp.c_proj) normal(0, 0.02/√(2L)), biases
    /// zero, LayerNorm gains one. Each value is drawn by <see cref="CounterRandom"/> at its arena index.
    /// </summary>
    public void InitializeRandom(ulong seed)
    {
        double residualStd = InitStd / Math.Sqrt(2.0 * Config.LayerCount);
        foreach (ParameterEntry entry in Layout.Entries)
        {
            Span<float> values = Parameter(entry);
            switch (entry.Role)
            {
                case ParameterRole.Bias:
                case ParameterRole.NormBias:
                    values.Clear();
                    break;
                case ParameterRole.NormWeight:
                    values.Fill(1f);
                    break;
                default:
                    FillNormal(entry, entry.Role == ParameterRole.ResidualProjection ? residualStd : InitStd, seed);
                    break;
            }
        }
        _gradientReady = false;
    }

    /// <summary>
    /// Training forward pass over <paramref name="tokens"/> (B, T) with next-token <paramref name="targets"/> (B, T):
    /// returns the mean cross-entropy over targets that are not <see cref="IgnoreIndex"/> (NaN when all are), and leaves
    /// d loss / d logits ready for <see cref="Backward"/> (it overwrites the logits buffer).
    /// </summary>
    /// <exception cref="ArgumentException">A span's length is not B·T.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A token or target is outside [0, V) (targets may also be the ignore index).</exception>
    public float Forward(ReadOnlySpan<int> tokens, ReadOnlySpan<int> targets) => Forward(tokens, targets, Dropout.None);

    /// <summary>
    /// <see cref="Forward(ReadOnlySpan{int}, ReadOnlySpan{int})"/> with <paramref name="dropout"/> on the embedding
    /// output and on each block's two branches before they join the residual stream (GPT-2's <c>embd_pdrop</c> and
    /// <c>resid_pdrop</c>; attention probabilities are not dropped); <see cref="Backward"/> then uses the same masks.
    /// </summary>
    /// <exception cref="ArgumentException">A span's length is not B·T.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A token or target is outside [0, V), or the dropout probability is outside [0, 1).</exception>
    public float Forward(ReadOnlySpan<int> tokens, ReadOnlySpan<int> targets, Dropout dropout)
    {
        CheckLength(targets, nameof(targets));
        Dropout.CheckProbability(dropout.Probability, nameof(dropout));
        RunToLogits(tokens, dropout);
        _dropout = dropout;
        int rows = BatchSize * SequenceLength;
        int counted = 0;
        foreach (int target in targets) if (target != IgnoreIndex) counted++;
        float scale = counted == 0 ? 0f : 1f / counted;
        SoftmaxCrossEntropy.ForwardBackward(_acts.Losses, _acts.Logits, _acts.Logits, targets, rows, Config.VocabSize, scale, IgnoreIndex);
        double sum = 0;
        for (int i = 0; i < rows; i++) sum += _acts.Losses[i];
        _gradientReady = true;
        return counted == 0 ? float.NaN : (float)(sum / counted);
    }

    /// <summary>
    /// Evaluation forward pass: the mean cross-entropy as <see cref="Forward(ReadOnlySpan{int}, ReadOnlySpan{int})"/>
    /// computes it, but leaving the logits intact and preparing no gradient.
    /// </summary>
    /// <exception cref="ArgumentException">A span's length is not B·T.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A token or target is outside [0, V) (targets may also be the ignore index).</exception>
    public float Loss(ReadOnlySpan<int> tokens, ReadOnlySpan<int> targets)
    {
        CheckLength(targets, nameof(targets));
        RunToLogits(tokens, Dropout.None);
        int rows = BatchSize * SequenceLength;
        SoftmaxCrossEntropy.Forward(_acts.Losses, _acts.Logits, targets, rows, Config.VocabSize, IgnoreIndex);
        int counted = 0;
        double sum = 0;
        for (int i = 0; i < rows; i++)
        {
            if (targets[i] == IgnoreIndex) continue;
            counted++;
            sum += _acts.Losses[i];
        }
        return counted == 0 ? float.NaN : (float)(sum / counted);
    }

    /// <summary>Inference forward pass: returns the logits (B, T, V) for <paramref name="tokens"/> (B, T), valid until the next forward.</summary>
    /// <exception cref="ArgumentException">The span's length is not B·T.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A token is outside [0, V).</exception>
    public ReadOnlySpan<float> ForwardLogits(ReadOnlySpan<int> tokens)
    {
        RunToLogits(tokens, Dropout.None);
        return _acts.Logits;
    }

    /// <summary>Adds d loss / d parameter for the last <see cref="Forward(ReadOnlySpan{int}, ReadOnlySpan{int})"/> to <see cref="Gradients"/>.</summary>
    /// <exception cref="InvalidOperationException">No training forward pass precedes this call.</exception>
    public void Backward()
    {
        if (!_gradientReady)
            throw new InvalidOperationException("Backward needs a preceding Forward(tokens, targets); ForwardLogits and InitializeRandom do not prepare gradients.");
        _gradientReady = false;
        int batch = BatchSize, time = SequenceLength, bt = batch * time;
        int c = Config.EmbeddingSize, v = Config.VocabSize, heads = Config.HeadCount;
        float[] g = GradientArena, p = ParameterArena;
        ParameterEntry head = Layout.LanguageModelHead;
        Span<float> dResidual = _acts.DResidual;
        Span<float> dChannels = _acts.DChannels;

        // 1. LM head: dlnf (BT, C) = dlogits · W_head, dW_head (V, C) += dlogitsᵀ · lnf.
        Gemm.Multiply(_acts.Logits, Parameter(head), dChannels, bt, c, v, GemmLayout.NN);
        Gemm.Multiply(_acts.Logits, _acts.FinalNorm, Gradient(head), v, c, bt, GemmLayout.TN, accumulate: true);

        // 2. ln_f: the residual stream's gradient starts here.
        dResidual.Clear();
        LayerNorm.Backward(dResidual, Gradient(Layout.FinalNormWeight), Gradient(Layout.FinalNormBias), dChannels,
            BlockOutput(Config.LayerCount - 1), Parameter(Layout.FinalNormWeight), _acts.FinalNormMean, _acts.FinalNormRstd, bt, c);

        // 3. Blocks, last first; dResidual carries the stream's gradient down.
        for (int l = Config.LayerCount - 1; l >= 0; l--)
        {
            TransformerBlock.Backward(dResidual, g, Layout.Blocks[l], _acts.Blocks[l], BlockOutput(l - 1), p,
                dChannels, _acts.DWide, batch, time, c, heads, l, _dropout, _acts.DBranch);
        }

        // 4. Embeddings (through the embedding dropout's mask, where there is one).
        Embedding.Backward(Gradient(Layout.TokenEmbedding), Gradient(Layout.PositionEmbedding),
            _dropout.Backward(dResidual, _acts.DBranch, bt * c, Dropout.EmbeddingSite), _acts.Tokens, batch, time, c);
    }

    /// <summary>Sets every gradient to zero.</summary>
    public void ZeroGradients() => ClearParallel(GradientArena);

    /// <summary>The global L2 norm of all gradients.</summary>
    public float GradientNorm() => GradientClipping.GlobalNorm(GradientArena);

    /// <summary>Scales the gradients so their global L2 norm is at most <paramref name="maxNorm"/>; returns the norm before clipping.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxNorm"/> is not positive.</exception>
    public float ClipGradients(float maxNorm) => GradientClipping.ClipByGlobalNorm(GradientArena, maxNorm);

    private void RunToLogits(ReadOnlySpan<int> tokens, Dropout dropout)
    {
        CheckLength(tokens, nameof(tokens));
        _gradientReady = false;
        int batch = BatchSize, time = SequenceLength, bt = batch * time;
        int c = Config.EmbeddingSize, v = Config.VocabSize;
        float[] p = ParameterArena;
        tokens.CopyTo(_acts.Tokens);

        Embedding.Forward(_acts.Encoded, tokens, Parameter(Layout.TokenEmbedding), Parameter(Layout.PositionEmbedding), batch, time, c);
        dropout.Apply(_acts.Encoded, Dropout.EmbeddingSite);
        for (int l = 0; l < Config.LayerCount; l++)
            TransformerBlock.Forward(_acts.Blocks[l], BlockOutput(l - 1), p, Layout.Blocks[l], batch, time, c, Config.HeadCount, l, dropout);
        LayerNorm.Forward(_acts.FinalNorm, _acts.FinalNormMean, _acts.FinalNormRstd, BlockOutput(Config.LayerCount - 1),
            Parameter(Layout.FinalNormWeight), Parameter(Layout.FinalNormBias), bt, c);
        // logits (BT, V) = lnf (BT, C) · W_headᵀ, with W_head stored (V, C).
        Gemm.Multiply(_acts.FinalNorm, Parameter(Layout.LanguageModelHead), _acts.Logits, bt, v, c, GemmLayout.NT);
    }

    // The residual stream after block l; block -1 is the embedding output.
    private float[] BlockOutput(int l) => l < 0 ? _acts.Encoded : _acts.Blocks[l].Residual3;

    private void CheckLength(ReadOnlySpan<int> ids, string name)
    {
        int expected = BatchSize * SequenceLength;
        if (ids.Length != expected)
            throw new ArgumentException($"{name} holds {ids.Length} ids; this model runs batches of B·T = {BatchSize}·{SequenceLength} = {expected}.", name);
    }

    private void FillNormal(ParameterEntry entry, double std, ulong seed)
    {
        float[] arena = ParameterArena;
        int offset = entry.Offset, length = entry.Length;
        int chunks = (length + InitGrain - 1) / InitGrain;
        ComputePool.Shared.For(chunks, chunk =>
        {
            // Global indices [first, last) of this chunk, walked in Box–Muller pairs (2k, 2k+1).
            long first = offset + (long)chunk * InitGrain, last = Math.Min(first + InitGrain, offset + (long)length);
            for (long i = first & ~1L; i < last; i += 2)
            {
                var (even, odd) = CounterRandom.NormalPair(seed, (ulong)i >> 1);
                if (i >= first) arena[i] = (float)(std * even);
                if (i + 1 < last) arena[i + 1] = (float)(std * odd);
            }
        });
    }

    private static void ClearParallel(float[] arena)
    {
        const int grain = 1 << 20;
        int chunks = (arena.Length + grain - 1) / grain;
        ComputePool.Shared.For(chunks, chunk =>
        {
            int start = chunk * grain;
            arena.AsSpan(start, Math.Min(grain, arena.Length - start)).Clear();
        });
    }
}
