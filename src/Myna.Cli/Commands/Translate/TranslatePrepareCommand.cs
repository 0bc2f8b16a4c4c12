using System.CommandLine;
using System.Text.Json;
using Myna.Apps.Translation;
using Myna.Models.Checkpoints;
using Myna.Text.Tokenization;

namespace Myna.Cli.Commands.Translate;

/// <summary><c>myna translate prepare</c>: the fine-tuning documents (train split, fitted to the context) for <c>myna shard</c>.</summary>
internal static class TranslatePrepareCommand
{
    public static Command Create()
    {
        var data = TranslateFiles.CreateDataOption();
        var model = new Option<string>("--model", "-m")
        {
            Description = $"The model to fine-tune: its tokenizer measures the examples and its context bounds them. Default: {ModelLocator.DefaultModelPath}.",
            HelpName = "DIR",
        };
        var output = new Option<string>("--out", "-o") { Description = "Output folder: train.jsonl ({\"text\"} per line) and report.json (split counts, pairs kept).", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace a non-empty --out (swapped in when the run succeeds)." };
        var json = new Option<bool>("--json") { Description = "Print report.json's content on stdout." };
        var command = new Command("prepare",
            "Build the fine-tuning corpus: the train split (Debian Reference pairs outside dev, LibreOffice messages of ≥ 4 words " +
            "without placeholders, near-duplicates of test and dev removed) as 'English: …\\nChinese: …' documents, keeping only " +
            "those that fit the model's context with their end-of-text tokens.\n\n" +
            "Examples:\n" +
            "  myna translate prepare --out work/translate/corpus\n" +
            "  myna shard --input work/translate/corpus/train.jsonl --tokenizer models/myna-default --out work/translate/shards")
        {
            data, model, output, force, json,
        };
        command.SetAction(parsed =>
        {
            string modelDirectory = ModelLocator.Resolve(parsed.GetValue(model));
            string dataFolder = TranslateFiles.ResolveData(parsed.GetValue(data));
            TranslationSplits splits = TranslationSplits.Build(TranslationData.Load(dataFolder));
            GptTokenizer tokenizer = GptTokenizer.FromDirectory(modelDirectory);
            int contextLength = HfGpt2Config.Read(Path.Combine(modelDirectory, ModelDirectory.ConfigFileName)).ContextLength;
            FineTuningCorpus corpus = FineTuningCorpus.Build(splits, tokenizer, contextLength);
            corpus.Save(parsed.GetValue(output)!, [dataFolder], parsed.GetValue(force));
            TextWriter stdout = parsed.InvocationConfiguration.Output;
            if (parsed.GetValue(json))
            {
                stdout.WriteLine(JsonSerializer.Serialize(corpus.Report));
                return MynaApp.Success;
            }
            TranslationSplitCounts c = splits.Counts;
            stdout.WriteLine($"splits: test {c.Test} FAQ pairs (≤ 60 words; {c.TestNearDuplicates} near-duplicates removed), dev {c.Dev} Reference pairs ({c.DevNearDuplicates} removed), " +
                $"train {c.TrainReference} Reference + {c.TrainLibreOffice} LibreOffice pairs ({c.TrainReferenceNearDuplicates} + {c.TrainLibreOfficeNearDuplicates} removed)");
            stdout.WriteLine($"fine-tuning corpus: {corpus.Report.Kept} of {corpus.Report.TrainPairs} training pairs fit n_ctx {contextLength} ({corpus.Report.TooLong} too long) → {parsed.GetValue(output)}");
            return MynaApp.Success;
        });
        return command;
    }
}
