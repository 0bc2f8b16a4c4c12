namespace Myna.Evaluation.Perplexity;

/// <summary>How <see cref="PerplexityEvaluator"/> runs the model over its windows; every method scores the same windows.</summary>
public enum PerplexityMethod
{
    /// <summary><see cref="BatchedForward"/> at f32 precision; <see cref="KeyValueCache"/> at f16 and int8, whose weights only the inference engine reads.</summary>
    Auto,

    /// <summary>
    /// Several whole windows per pass through the training forward's GEMM kernels (<c>GptBatchForward</c>), with the LM
    /// head only for the scored rows: the fastest at f32, where the inference engine's weights are the training weights.
    /// </summary>
    BatchedForward,

    /// <summary>
    /// The inference engine (<c>GptInference</c>) window by window, on the model's converted weights, so the effect of
    /// f16 or int8 storage on quality is what is measured.
    /// </summary>
    KeyValueCache,
}
