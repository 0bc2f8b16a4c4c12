using System.Globalization;
using System.Text;
using Myna.Models;
using Myna.Text.Shards;

namespace Myna.Training;

/// <summary>model_card.md in a checkpoint folder: what the model is, what it was trained on and how, how well it did, and what it is not for.</summary>
public static class ModelCard
{
    /// <summary>Writes the card (atomically) for a checkpoint taken at <paramref name="state"/>.</summary>
    public static void Write(string path, TrainingOptions options, ShardMeta meta, GptConfig config, int parameterCount, TrainerState state)
    {
        var card = new StringBuilder();
        string date = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        card.AppendLine("# Model card");
        card.AppendLine();
        card.AppendLine(CultureInfo.InvariantCulture, $"A GPT-2-architecture language model trained with Myna (`myna train`), {Format(parameterCount)} parameters: " +
            $"{config.LayerCount} layers, {config.EmbeddingSize} channels, {config.HeadCount} heads, context {config.ContextLength}, vocabulary {config.VocabSize}.");
        card.AppendLine(options.InitFrom is null ? "Trained from scratch." : $"Fine-tuned from `{options.InitFrom}`.");
        card.AppendLine();
        card.AppendLine("## Training data");
        card.AppendLine();
        card.AppendLine(CultureInfo.InvariantCulture, $"Token shards from `{options.Data}`: {meta.Train.Tokens:N0} training tokens ({meta.Train.Documents:N0} documents), " +
            $"{meta.Val.Tokens:N0} validation tokens ({meta.Val.Documents:N0} documents); tokenizer `{meta.Tokenizer.Name}` (hash {meta.Tokenizer.Fingerprint[..Math.Min(16, meta.Tokenizer.Fingerprint.Length)]}).");
        card.AppendLine();
        card.AppendLine("Sources:");
        foreach (string source in meta.Sources.Take(50)) card.AppendLine(CultureInfo.InvariantCulture, $"- `{source}`");
        if (meta.Sources.Count > 50) card.AppendLine(CultureInfo.InvariantCulture, $"- … and {meta.Sources.Count - 50} more (see meta.json)");
        if (meta.Sources.Count == 0) card.AppendLine("- (meta.json lists none)");
        card.AppendLine();
        card.AppendLine("## Training procedure");
        card.AppendLine();
        card.AppendLine(CultureInfo.InvariantCulture, $"AdamW (β1 {options.Beta1}, β2 {options.Beta2}, ε {options.Epsilon}, weight decay {options.WeightDecay}), " +
            $"learning rate {options.LearningRate} with {options.WarmupSteps} warm-up steps and cosine decay to {options.MinLearningRate}, " +
            $"gradient clipping {options.GradClip}, batch {options.BatchSize} × {options.SequenceLength} tokens × {options.GradientAccumulationSteps} accumulation steps, " +
            $"seed {options.Seed}. Full options: trainer_state.json.");
        card.AppendLine();
        card.AppendLine(CultureInfo.InvariantCulture, $"## Results ({date})");
        card.AppendLine();
        card.AppendLine("| metric | value |");
        card.AppendLine("|---|---|");
        card.AppendLine(CultureInfo.InvariantCulture, $"| steps | {state.Step} |");
        card.AppendLine(CultureInfo.InvariantCulture, $"| tokens seen | {state.TokensSeen:N0} |");
        card.AppendLine(CultureInfo.InvariantCulture, $"| train loss | {Number(state.TrainLoss)} |");
        card.AppendLine(CultureInfo.InvariantCulture, $"| validation loss | {Number(state.ValLoss)} |");
        card.AppendLine(CultureInfo.InvariantCulture, $"| validation perplexity | {Number(state.ValLoss is double v ? Math.Exp(v) : null)} |");
        card.AppendLine(CultureInfo.InvariantCulture, $"| best validation loss | {Number(state.BestValLoss)} (step {state.BestStep?.ToString(CultureInfo.InvariantCulture) ?? "—"}) |");
        card.AppendLine();
        card.AppendLine("## Intended use");
        card.AppendLine();
        card.AppendLine("Research, teaching and experiments with small language models: text continuation in the style and language of the training data, " +
            "and a starting point for fine-tuning (`myna train --init-from`).");
        card.AppendLine();
        card.AppendLine("## Limitations");
        card.AppendLine();
        card.AppendLine("- A small model on a limited corpus: it produces fluent-looking text that is often wrong; do not rely on it for facts, advice or decisions.");
        card.AppendLine("- It reflects the biases, errors and gaps of its training data, and knows nothing outside it.");
        card.AppendLine("- No safety tuning, no instruction tuning, no evaluation beyond the validation loss above.");
        Models.Checkpoints.AtomicFile.WriteAllText(path, card.ToString());
    }

    internal static string Number(double? value) => value is double v ? v.ToString("F4", CultureInfo.InvariantCulture) : "—";

    internal static string Format(int parameters) => parameters >= 1_000_000
        ? (parameters / 1e6).ToString("F1", CultureInfo.InvariantCulture) + "M"
        : (parameters / 1e3).ToString("F1", CultureInfo.InvariantCulture) + "K";
}
