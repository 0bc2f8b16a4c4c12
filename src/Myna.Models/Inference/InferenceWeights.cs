using Myna.Tensors.Quantized;

namespace Myna.Models.Inference;

/// <summary>
/// A model's weights as inference reads them, converted once: each block's linear layers and the language-model head as
/// (out, in) rows in the chosen <see cref="InferencePrecision"/>; embeddings, norms and biases are read from the f32
/// <see cref="GptWeights"/> in place. One instance is shared by every engine, evaluator and server over the same model:
/// it is read-only after construction, so any number of threads may read it at once.
/// C channels, V vocabulary.
/// </summary>
/// <remarks>
/// The f32 parameters are referenced, not copied: changing <see cref="Source"/> afterwards changes what the norms,
/// biases and embeddings read, but not the converted matrices. Convert after the weights are final.
/// </remarks>
public sealed class InferenceWeights
{
    private readonly LayerMatrices[] _layers;

    /// <summary>Converts the linear layers and head of <paramref name="weights"/> to <paramref name="precision"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="precision"/> is not a known precision.</exception>
    public InferenceWeights(GptWeights weights, InferencePrecision precision = InferencePrecision.F32)
    {
        ArgumentNullException.ThrowIfNull(weights);
        Source = weights;
        Precision = precision;
        WeightFormat format = precision switch
        {
            InferencePrecision.F32 => WeightFormat.F32,
            InferencePrecision.F16 => WeightFormat.F16,
            InferencePrecision.Int8 => WeightFormat.Q8,
            _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "unknown precision."),
        };
        GptConfig config = weights.Config;
        int c = config.EmbeddingSize;
        _layers = new LayerMatrices[config.LayerCount];
        // Layers convert independently; doing them in parallel cuts load time for f16/int8 on a multi-core machine.
        Parallel.For(0, config.LayerCount, l =>
        {
            BlockParameters p = weights.Layout.Blocks[l];
            _layers[l] = new LayerMatrices(
                QuantizedMatrix.FromColumns(weights.Of(p.QkvWeight), 3 * c, c, format),
                QuantizedMatrix.FromColumns(weights.Of(p.AttentionProjWeight), c, c, format),
                QuantizedMatrix.FromColumns(weights.Of(p.FcWeight), 4 * c, c, format),
                QuantizedMatrix.FromColumns(weights.Of(p.FcProjWeight), c, 4 * c, format));
        });
        Head = QuantizedMatrix.FromRows(weights.Of(weights.Layout.LanguageModelHead), config.VocabSize, c, format);
    }

    /// <summary>The f32 weights converted from; embeddings, norms and biases are read from here.</summary>
    public GptWeights Source { get; }

    /// <summary>The model's shape.</summary>
    public GptConfig Config => Source.Config;

    /// <summary>How the linear layers and head are stored.</summary>
    public InferencePrecision Precision { get; }

    /// <summary>The language-model head (V, C).</summary>
    public QuantizedMatrix Head { get; }

    /// <summary>Bytes of the linear layers and head as stored.</summary>
    public long Bytes => Matrices().Sum(m => m.Bytes);

    /// <summary>Bytes of the linear layers and head that the OS backs with huge pages (<see cref="QuantizedMatrix.OnHugePages"/>).</summary>
    public long HugePageBytes => Matrices().Where(m => m.OnHugePages).Sum(m => m.Bytes);

    private IEnumerable<QuantizedMatrix> Matrices() =>
        _layers.SelectMany(m => new[] { m.Qkv, m.AttentionProj, m.Fc, m.FcProj }).Prepend(Head);

    /// <summary>Block <paramref name="layer"/>'s linear layers.</summary>
    public LayerMatrices Layer(int layer) => _layers[layer];

    /// <summary>One block's linear layers as (out, in) rows: qkv (3C, C), attention projection (C, C), fc (4C, C), fc projection (C, 4C).</summary>
    public sealed record LayerMatrices(QuantizedMatrix Qkv, QuantizedMatrix AttentionProj, QuantizedMatrix Fc, QuantizedMatrix FcProj);
}
