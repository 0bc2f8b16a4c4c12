using System.CommandLine;
using System.Text.Json;
using Myna.Text.Corpus;
using Myna.Text.Tokenization.Training;
using Spectre.Console;

namespace Myna.Cli.Commands;

/// <summary><c>myna tokenizer train</c>: learn a byte-level BPE vocabulary from a corpus.</summary>
internal static class TokenizerTrainCommand
{
    public static Command Create()
    {
        var input = new Option<string[]>("--input", "-i")
        {
            Description = "Files or folders to learn from (a `myna prepare` output folder, or any format prepare reads).",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var vocabSize = new Option<int>("--vocab-size") { Description = "Vocabulary size: 256 bytes + merges + special tokens.", Required = true };
        var minFrequency = new Option<long>("--min-frequency")
        {
            Description = "Never merge a pair seen fewer times than this.",
            DefaultValueFactory = _ => 2,
            Validators = { result =>
            {
                if (result.GetValueOrDefault<long>() < 0) result.AddError($"--min-frequency must be 0 or more; it is {result.GetValueOrDefault<long>()}");
            } },
        };
        var special = new Option<string[]>("--special")
        {
            Description = "A special token (repeatable); <|endoftext|> is always included.",
            AllowMultipleArgumentsPerToken = false,
            Validators = { result =>
            {
                if (result.GetValueOrDefault<string[]>()?.Any(string.IsNullOrEmpty) == true)
                    result.AddError("--special may not be empty: an empty token would match at every position of every text");
            } },
        };
        var textField = new Option<string>("--text-field") { Description = "Field or column holding the text.", DefaultValueFactory = _ => "text" };
        var output = new Option<string>("--out", "-o") { Description = "Output folder for tokenizer.json, vocab.json, merges.txt (new or empty, unless --force).", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace a non-empty --out with this run's tokenizer (swapped in when training succeeds)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object with the run's figures." };

        var command = new Command("train",
            "Train a byte-level BPE tokenizer (GPT-2 pre-tokenisation and byte alphabet) and save it in the Hugging Face layout: " +
            "tokenizer.json, vocab.json, merges.txt. Load it with `myna tokenize --tokenizer DIR`, transformers or tokenizers.\n\n" +
            "Examples:\n" +
            "  myna tokenizer train --input data/clean --vocab-size 8192 --out tokenizer\n" +
            "  myna tokenizer train --input corpus.txt --vocab-size 1000 --min-frequency 5 --special \"<|pad|>\" --out tok --json")
        {
            input, vocabSize, minFrequency, special, textField, output, force, json,
        };

        command.SetAction(parsed =>
        {
            TextWriter stdout = parsed.InvocationConfiguration.Output;
            string[] inputs = parsed.GetValue(input) ?? [];
            foreach (string path in inputs)
                if (!File.Exists(path) && !Directory.Exists(path))
                    throw new CliException($"--input '{path}' does not exist: give a file or folder to learn from.");
            var specials = new List<string> { Myna.Text.Tokenization.GptTokenizer.EndOfText };
            foreach (string s in parsed.GetValue(special) ?? [])
                if (!specials.Contains(s)) specials.Add(s);
            int size = parsed.GetValue(vocabSize);
            if (size < 256 + specials.Count)
                throw new CliException($"--vocab-size must be at least {256 + specials.Count} (256 byte tokens + {specials.Count} special token(s)).", MynaApp.UsageError);

            var options = new BpeTrainerOptions { VocabSize = size, MinFrequency = parsed.GetValue(minFrequency), SpecialTokens = specials };
            string outDir = parsed.GetValue(output)!;
            var corpus = new CorpusOptions { TextField = parsed.GetValue(textField)! };
            bool replace = parsed.GetValue(force);
            TokenizerTrainingSummary summary = parsed.GetValue(json)
                ? TokenizerTrainingRun.Run(inputs, outDir, options, corpus, replaceOutput: replace)
                : PrepareProgressBars.Run(Terminal.For(stdout), progress => TokenizerTrainingRun.Run(inputs, outDir, options, corpus, progress, replace));

            if (parsed.GetValue(json))
            {
                stdout.WriteLine(JsonSerializer.Serialize(new
                {
                    documents = summary.Documents,
                    distinct_words = summary.DistinctWords,
                    vocab_size = summary.VocabSize,
                    merges = summary.Merges,
                    seconds = summary.Seconds,
                    skipped = summary.Skipped.Count,
                    output = outDir,
                }));
                return MynaApp.Success;
            }
            IAnsiConsole console = Terminal.For(stdout);
            foreach (SkippedInput skip in summary.Skipped.Take(10))
                console.MarkupLine($"[yellow]skipped[/] {Markup.Escape(skip.Source)}: {Markup.Escape(skip.Reason)}");
            console.MarkupLine($"Learned {summary.Merges:N0} merges from {summary.Documents:N0} documents ({summary.DistinctWords:N0} distinct words) " +
                               $"in {summary.Seconds:F2} s; vocabulary {summary.VocabSize:N0}.");
            if (summary.VocabSize < size)
                console.MarkupLine($"[yellow]note[/]: the corpus ran out of pairs seen {options.MinFrequency}+ times before reaching {size:N0}.");
            console.MarkupLine($"Wrote tokenizer.json, vocab.json, merges.txt to {Markup.Escape(outDir)}");
            return MynaApp.Success;
        });
        return command;
    }
}
