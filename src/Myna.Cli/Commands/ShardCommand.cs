using System.CommandLine;
using System.Text.Json;
using Myna.Text.Shards;
using Myna.Text.Tokenization;
using Spectre.Console;

namespace Myna.Cli.Commands;

/// <summary><c>myna shard</c>: a prepared corpus to memory-mappable token shards with a train/validation split.</summary>
internal static class ShardCommand
{
    public static Command Create()
    {
        var input = new Option<string[]>("--input", "-i")
        {
            Description = "A `myna prepare` output folder (or any files/folders prepare reads).",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var tokenizer = new Option<string>("--tokenizer", "-t")
        {
            Description = "A tokenizer folder (from `myna tokenizer train`, or HF files), or 'gpt2'.",
            Required = true,
        };
        var output = new Option<string>("--out", "-o") { Description = "Output folder for train-*.bin, val-*.bin and meta.json (new or empty, unless --force).", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace a non-empty --out with this run's shards (swapped in when the run succeeds)." };
        var valFraction = new Option<double>("--val-fraction")
        {
            Description = "Fraction of documents held out for validation (chosen by a hash of each document's text).",
            DefaultValueFactory = _ => 0.01,
        };
        var json = new Option<bool>("--json") { Description = "Print meta.json's content on stdout." };

        var command = new Command("shard",
            "Tokenise a prepared corpus into token shards (64-byte little-endian header, then uint16 or uint32 ids; " +
            "memory-mapped by `myna train`) with a deterministic train/validation split and meta.json. " +
            "Every document is preceded by <|endoftext|>.\n\n" +
            "Examples:\n" +
            "  myna shard --input data/clean --tokenizer tokenizer --out data/shards\n" +
            "  myna shard --input data/clean --tokenizer gpt2 --out data/shards-gpt2 --val-fraction 0.05 --json")
        {
            input, tokenizer, output, force, valFraction, json,
        };

        command.SetAction(parsed =>
        {
            TextWriter stdout = parsed.InvocationConfiguration.Output;
            string[] inputs = parsed.GetValue(input) ?? [];
            foreach (string path in inputs)
                if (!File.Exists(path) && !Directory.Exists(path))
                    throw new CliException($"--input '{path}' does not exist: give the folder `myna prepare` wrote.");
            double fraction = parsed.GetValue(valFraction);
            if (fraction is < 0 or >= 1 || double.IsNaN(fraction)) throw new CliException("--val-fraction must be in [0, 1), e.g. 0.01.", MynaApp.UsageError);
            GptTokenizer tok = TokenizeCommand.LoadTokenizer(parsed.GetValue(tokenizer)!);
            string outDir = parsed.GetValue(output)!;

            ShardMeta meta;
            try
            {
                var builder = new ShardBuilder(new ShardOptions { Inputs = inputs, OutputDirectory = outDir, ValFraction = fraction, ReplaceOutput = parsed.GetValue(force) }, tok);
                meta = parsed.GetValue(json) ? builder.Run() : PrepareProgressBars.Run(Terminal.For(stdout), builder.Run);
            }
            catch (InvalidOperationException ex)
            {
                throw new CliException(ex.Message);
            }

            if (parsed.GetValue(json))
            {
                stdout.WriteLine(JsonSerializer.Serialize(meta));
                return MynaApp.Success;
            }
            IAnsiConsole console = Terminal.For(stdout);
            var table = new Table().AddColumn("split").AddColumn(new TableColumn("documents").RightAligned())
                .AddColumn(new TableColumn("tokens").RightAligned()).AddColumn("files");
            table.AddRow("train", $"{meta.Train.Documents:N0}", $"{meta.Train.Tokens:N0}", string.Join(", ", meta.Train.Files));
            table.AddRow("val", $"{meta.Val.Documents:N0}", $"{meta.Val.Tokens:N0}", string.Join(", ", meta.Val.Files));
            console.Write(table);
            if (meta.Val.Documents == 0 && fraction > 0)
                console.MarkupLine("[yellow]note[/]: no document fell in the validation split; use a larger corpus or --val-fraction.");
            console.MarkupLine($"{meta.TokenWidth * 8}-bit tokens, vocabulary {meta.Tokenizer.VocabSize:N0}, {meta.Seconds:F2} s; meta.json in {Markup.Escape(outDir)}");
            return MynaApp.Success;
        });
        return command;
    }
}
