using System.Globalization;
using System.Text;
using Myna.Models;
using Myna.Models.Checkpoints;
using Myna.Models.Perplexity;
using Myna.Text.Shards;

namespace Myna.Training;

/// <summary>
/// The card of a checkpoint folder (<see cref="ModelCard"/>): what the model is, what it was trained on and how, how well
/// it did, and what it is not for, with the Hub metadata that lets transformers users find and load it.
/// </summary>
public static class TrainingCard
{
    /// <summary>Writes the card (model_card.md and README.md, atomically) into <paramref name="directory"/> for a checkpoint taken at <paramref name="state"/>.</summary>
    public static void Write(string directory, TrainingOptions options, ShardMeta meta, GptConfig config, int parameterCount, TrainerState state,
        PerplexityResult? heldOut = null) =>
        ModelDirectory.SaveCard(directory, Create(options, meta, config, parameterCount, state, heldOut));

    /// <summary>The card for a checkpoint taken at <paramref name="state"/>.</summary>
    /// <remarks>The held-out perplexity (<paramref name="heldOut"/>) is known only at the end of a completed run; before, the card says so.</remarks>
    public static ModelCard Create(TrainingOptions options, ShardMeta meta, GptConfig config, int parameterCount, TrainerState state,
        PerplexityResult? heldOut = null)
    {
        string date = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var card = new ModelCard { Title = "Model card" };
        card.AddHubDefaults();
        card.AddMetadataItem("metrics", "perplexity");
        card.Summary = string.Create(CultureInfo.InvariantCulture, $"A GPT-2-architecture language model trained with Myna (`myna train`), {Format(parameterCount)} parameters: " +
            $"{config.LayerCount} layers, {config.EmbeddingSize} channels, {config.HeadCount} heads, context {config.ContextLength}, vocabulary {config.VocabSize}.\n") +
            (options.InitFrom is null ? "Trained from scratch." : $"Fine-tuned from `{options.InitFrom}`.");

        var data = new StringBuilder();
        data.AppendLine(CultureInfo.InvariantCulture, $"Token shards from `{options.Data}`: {meta.Train.Tokens:N0} training tokens ({meta.Train.Documents:N0} documents), " +
            $"{meta.Val.Tokens:N0} validation tokens ({meta.Val.Documents:N0} documents); tokenizer `{meta.Tokenizer.Name}` (hash {meta.Tokenizer.Fingerprint[..Math.Min(16, meta.Tokenizer.Fingerprint.Length)]}).");
        data.AppendLine();
        data.AppendLine("Sources:");
        foreach (string source in meta.Sources.Take(50)) data.AppendLine(CultureInfo.InvariantCulture, $"- `{source}`");
        if (meta.Sources.Count > 50) data.AppendLine(CultureInfo.InvariantCulture, $"- … and {meta.Sources.Count - 50} more (see meta.json)");
        if (meta.Sources.Count == 0) data.AppendLine("- (meta.json lists none)");
        card.SetSection("Training data", data.ToString());

        card.SetSection("Training procedure", string.Create(CultureInfo.InvariantCulture,
            $"AdamW (β1 {options.Beta1}, β2 {options.Beta2}, ε {options.Epsilon}, weight decay {options.WeightDecay}), " +
            $"learning rate {options.LearningRate} with {options.WarmupSteps} warm-up steps and cosine decay to {options.MinLearningRate}, " +
            $"gradient clipping {options.GradClip}, batch {options.BatchSize} × {options.SequenceLength} tokens × {options.GradientAccumulationSteps} accumulation steps, " +
            $"{(options.Dropout > 0 ? $"dropout {options.Dropout} (embeddings, attention and MLP outputs)" : "no dropout")}, seed {options.Seed}. Full options: trainer_state.json."));

        var results = new StringBuilder();
        results.AppendLine("| metric | value |");
        results.AppendLine("|---|---|");
        results.AppendLine(CultureInfo.InvariantCulture, $"| steps | {state.Step} |");
        results.AppendLine(CultureInfo.InvariantCulture, $"| tokens seen | {state.TokensSeen:N0} |");
        results.AppendLine(CultureInfo.InvariantCulture, $"| train loss | {Number(state.TrainLoss)} |");
        results.AppendLine(CultureInfo.InvariantCulture, $"| validation loss (last pass: {options.EvalBatches} batches of {options.BatchSize} × {options.SequenceLength} tokens) | {Number(state.ValLoss)} |");
        results.AppendLine(CultureInfo.InvariantCulture, $"| held-out perplexity ({HeldOutDefinition(heldOut)}) | {Number(heldOut?.Perplexity)} |");
        results.AppendLine(CultureInfo.InvariantCulture, $"| best validation loss | {Number(state.BestValLoss)} (step {state.BestStep?.ToString(CultureInfo.InvariantCulture) ?? "—"}) |");
        card.SetSection($"Results ({date})", results.ToString());

        card.SetSection("Intended use",
            "Research, teaching and experiments with small language models: text continuation in the style and language of the training data, " +
            "and a starting point for fine-tuning (`myna train --init-from`).");
        card.SetSection("Limitations",
            "- A small model on a limited corpus: it produces fluent-looking text that is often wrong; do not rely on it for facts, advice or decisions.\n" +
            "- It reflects the biases, errors and gaps of its training data, and knows nothing outside it.\n" +
            "- No safety tuning, no instruction tuning, no evaluation beyond the validation loss above.");
        return card;
    }

    /// <summary>What the held-out figure is, printed beside it wherever it appears.</summary>
    internal static string HeldOutDefinition(PerplexityResult? heldOut) => heldOut is null
        ? "whole validation split, measured at the end of a completed run"
        : $"whole validation split: {heldOut.Definition}";

    internal static string Number(double? value) => value is double v ? v.ToString("F4", CultureInfo.InvariantCulture) : "—";

    internal static string Format(int parameters) => parameters >= 1_000_000
        ? (parameters / 1e6).ToString("F1", CultureInfo.InvariantCulture) + "M"
        : (parameters / 1e3).ToString("F1", CultureInfo.InvariantCulture) + "K";
}
