using System.Text.Json.Serialization;

namespace Myna.Apps.Recommendation;

/// <summary>
/// The shape and training of the next-item model, each default once with its reason. The model is a GPT over item
/// tokens trained by the ordinary <c>Trainer</c> with cross-entropy over all items (SASRec+'s loss), sized to train in
/// minutes on two cores.
/// </summary>
public sealed record SequenceModelSettings
{
    /// <summary>Transformer blocks (2: SASRec's depth for MovieLens).</summary>
    [JsonPropertyName("layers")] public int Layers { get; init; } = 2;

    /// <summary>Attention heads (2: enough for a 128-wide model; SASRec uses 1-2).</summary>
    [JsonPropertyName("heads")] public int Heads { get; init; } = 2;

    /// <summary>Residual width (64: near SASRec's 50 for MovieLens; the item head's cost grows with it, and on two cores
    /// more passes over the data buy more than a wider model).</summary>
    [JsonPropertyName("embedding")] public int EmbeddingSize { get; init; } = 64;

    /// <summary>Tokens per training window and the model's context (200: the protocol's history cap).</summary>
    [JsonPropertyName("context")] public int Context { get; init; } = 200;

    /// <summary>Windows per step (16: about 3,200 item tokens a step).</summary>
    [JsonPropertyName("batch_size")] public int BatchSize { get; init; } = 16;

    /// <summary>Optimizer steps (1,600: about 50 passes over ml-latest-small's training interactions; with dropout the
    /// model no longer overfits by then, and on a quiet 2-core Zen 5 it trains in about 3.3 minutes).</summary>
    [JsonPropertyName("steps")] public int Steps { get; init; } = 1600;

    /// <summary>Peak learning rate (3e-3: a model this small trains stably at three times SASRec's 1e-3, and the budget is a few minutes).</summary>
    [JsonPropertyName("learning_rate")] public double LearningRate { get; init; } = 3e-3;

    /// <summary>
    /// Dropout on the item embeddings and each block's outputs (the trainer's <c>--dropout</c>). 0.5: chosen on the
    /// validation item of ml-latest-small among 0, 0.2, 0.5 and 0.6 at 800-2,400 steps (README) by the served hybrid's
    /// NDCG@10 (0.0727 at 0.5, 0.0717 at 0.2, 0.0690 at 0.6; the model alone ties 0.2 and 0.5 within noise). Without
    /// dropout, 1,600 steps overfit.
    /// </summary>
    [JsonPropertyName("dropout")] public double Dropout { get; init; } = 0.5;

    /// <summary>Seed of the initial weights and window order (1337: the trainer's).</summary>
    [JsonPropertyName("seed")] public ulong Seed { get; init; } = 1337;

    /// <summary>Compute threads (0: all cores).</summary>
    [JsonIgnore] public int Threads { get; init; }
}
