using System.CommandLine;
using System.Text;
using System.Text.Json;
using Myna.Apps.Translation;
using Myna.Cli.Commands.Translate;
using Myna.Models.Checkpoints;
using Myna.Text.Output;

namespace Myna.Cli.Commands;

/// <summary><c>myna translate ...</c>: English → Simplified Chinese with the fine-tuned model.</summary>
internal static class TranslateCommand
{
    // Chinese is printed as itself; the relaxed encoder still escapes what JSON requires.
    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var text = new Option<string>("--text") { Description = "The English text to translate (one line; line breaks are read as spaces)." };
        var input = new Option<string>("--input", "-i") { Description = "A UTF-8 file of English lines; each becomes one Chinese line of --output.", HelpName = "FILE" };
        var output = new Option<string>("--output", "-o") { Description = "Where the Chinese lines go (with --input), written atomically.", HelpName = "FILE" };
        var force = new Option<bool>("--force") { Description = "Replace an existing --output." };
        var model = TranslateFiles.CreateModelOption();
        var batchSize = new Option<int>("--batch-size") { Description = $"Lines decoded together. Default {new TranslatorOptions().BatchSize}." };
        var json = new Option<bool>("--json") { Description = "With --text: print {\"translation\",\"source\":\"en\",\"target\":\"zh-CN\"}. With --input: print {\"lines\",\"failed\",\"output\",\"seconds\"}." };
        var command = new Command("translate",
            $"Translate English into Simplified Chinese with the fine-tuned model ({TranslationModelFolder.RelativePath}, built by {TranslationModelFolder.Recipe}), " +
            "decoding greedily in batches.\n\n" +
            "Examples:\n" +
            "  myna translate --text \"Debian is a free operating system.\" --json\n" +
            "  myna translate --input sentences.en.txt --output sentences.zh.txt\n" +
            "  myna translate eval --json\n" +
            "  myna translate prepare --out work/translate/corpus")
        {
            text, input, output, force, model, batchSize, json,
        };
        command.Validators.Add(result =>
        {
            bool hasText = result.GetResult(text) is not null, hasInput = result.GetResult(input) is not null;
            if (hasText == hasInput) result.AddError("give --text \"…\" or --input FILE --output FILE (one of them)");
            if (hasInput && result.GetResult(output) is null) result.AddError("--input needs --output FILE");
            if (!hasInput && result.GetResult(output) is not null) result.AddError("--output goes with --input");
            if (result.GetResult(batchSize) is not null && result.GetValue(batchSize) < 1) result.AddError("--batch-size must be 1 or more");
        });
        command.SetAction(parsed =>
        {
            TextWriter stdout = parsed.InvocationConfiguration.Output;
            TextWriter stderr = parsed.InvocationConfiguration.Error;
            var options = new TranslatorOptions();
            if (parsed.GetResult(batchSize) is not null) options = options with { BatchSize = parsed.GetValue(batchSize) };
            string? inputPath = parsed.GetValue(input);
            string? outputPath = parsed.GetValue(output);
            if (inputPath is not null)
            {
                if (!File.Exists(inputPath)) throw new FileNotFoundException($"--input '{inputPath}' does not exist.", inputPath);
                OutputFile.Check(outputPath!, [inputPath], parsed.GetValue(force), "--output");
            }
            Translator translator = Translator.FromDirectory(parsed.GetValue(model), options);
            if (inputPath is null)
            {
                string translation = translator.Translate(parsed.GetValue(text)!);
                stdout.WriteLine(parsed.GetValue(json)
                    ? JsonSerializer.Serialize(new Dictionary<string, string> { ["translation"] = translation, ["source"] = TranslationLanguages.Source, ["target"] = TranslationLanguages.Target }, Json)
                    : translation);
                return MynaApp.Success;
            }
            var clock = System.Diagnostics.Stopwatch.StartNew();
            string[] lines = File.ReadAllLines(inputPath, new UTF8Encoding(false, throwOnInvalidBytes: true));
            IReadOnlyList<TranslatedLine> translated = translator.TranslateLines(lines);
            AtomicFile.WriteAllText(outputPath!, string.Concat(translated.Select(t => t.Text + "\n")));
            int failed = translated.Count(t => t.Failed);
            if (failed > 0)
            {
                int first = Enumerable.Range(0, translated.Count).First(i => translated[i].Failed);
                stderr.WriteLine($"warning: {failed} of {lines.Length} lines could not be translated and are left empty (first: line {first + 1}, {translated[first].Error})");
            }
            if (parsed.GetValue(json))
                stdout.WriteLine(JsonSerializer.Serialize(new { lines = lines.Length, failed, output = outputPath, seconds = Math.Round(clock.Elapsed.TotalSeconds, 2) }));
            else
                stdout.WriteLine($"{lines.Length - failed} of {lines.Length} lines translated → {outputPath}");
            return MynaApp.Success;
        });
        command.Subcommands.Add(TranslateEvalCommand.Create());
        command.Subcommands.Add(TranslatePrepareCommand.Create());
        return command;
    }
}
