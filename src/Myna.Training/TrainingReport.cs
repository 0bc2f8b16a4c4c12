using System.Globalization;
using System.Text;
using Myna.Models;
using Myna.Text.Output;

namespace Myna.Training;

/// <summary>report.md in the output folder at the end of a run: configuration, data, final metrics, time, throughput, the loss plot.</summary>
public static class TrainingReport
{
    /// <summary>Writes the report (atomically).</summary>
    public static void Write(string path, TrainingOptions options, TrainingData data, GptConfig config, int parameterCount,
        TrainingResult result, int threads, double? bestValLoss, int? bestStep)
    {
        var md = new StringBuilder();
        md.AppendLine("# Training report");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Written {DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC; run {result.StopReason} at step {result.Step} of {options.TotalSteps}.");
        md.AppendLine();
        md.AppendLine("## Final metrics");
        md.AppendLine();
        md.AppendLine("| metric | value |");
        md.AppendLine("|---|---|");
        md.AppendLine(CultureInfo.InvariantCulture, $"| train loss | {TrainingCard.Number(result.TrainLoss)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| validation loss (last pass: {options.EvalBatches} batches of {options.BatchSize} × {options.SequenceLength} tokens) | {TrainingCard.Number(result.ValLoss)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| held-out perplexity ({TrainingCard.HeldOutDefinition(result.HeldOut)}) | {TrainingCard.Number(result.HeldOut?.Perplexity)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| best validation loss | {TrainingCard.Number(bestValLoss)} (step {bestStep?.ToString(CultureInfo.InvariantCulture) ?? "—"}) |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| tokens seen | {result.TokensSeen:N0} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| wall time | {TimeSpan.FromSeconds(result.ElapsedSeconds):hh\\:mm\\:ss} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| throughput (this session) | {result.TokensPerSecond:N0} tokens/s on {threads} threads |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| checkpoint | `{result.Checkpoint}` |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| best model | `{result.BestCheckpoint ?? "—"}` |");
        md.AppendLine();
        md.AppendLine("![training and validation loss against tokens](loss.png)");
        md.AppendLine();
        md.AppendLine("## Model");
        md.AppendLine();
        string origin = options.InitFrom is null ? $"preset `{options.Preset}` from scratch." : $"fine-tuned from `{options.InitFrom}`.";
        md.AppendLine(CultureInfo.InvariantCulture, $"{TrainingCard.Format(parameterCount)} parameters: {config.LayerCount} layers, {config.EmbeddingSize} channels, {config.HeadCount} heads, " +
            $"context {config.ContextLength}, vocabulary {config.VocabSize}; {origin}");
        md.AppendLine();
        md.AppendLine("## Data");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"`{data.Directory}`: {data.Train.Count:N0} training tokens, {data.Val.Count:N0} validation tokens; tokenizer `{data.Meta.Tokenizer.Name}`, " +
            $"vocabulary {data.Meta.Tokenizer.VocabSize:N0}; {data.Meta.Sources.Count} source file(s).");
        md.AppendLine();
        md.AppendLine("## Configuration");
        md.AppendLine();
        md.AppendLine("```json");
        md.AppendLine(options.ToJson());
        md.AppendLine("```");
        if (result.Notes.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("## Notes");
            md.AppendLine();
            foreach (string note in result.Notes) md.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
        }
        AtomicFile.WriteAllText(path, md.ToString());
    }
}
