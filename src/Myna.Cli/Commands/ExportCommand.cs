using System.CommandLine;
using Myna.Generation;
using Myna.Models.Checkpoints;
using Myna.Models.Checkpoints.Gguf;
using Myna.Text.Output;

namespace Myna.Cli.Commands;

/// <summary><c>myna export</c>: write a model for other tools: a Hugging Face directory or a llama.cpp GGUF file.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = $"Model directory to export. Default: {ModelLocator.DefaultModelPath}." };
        Option<bool> allowNonFinite = ModelLocator.CreateAllowNonFiniteOption();
        var format = new Option<string>("--format") { Description = "hf (transformers directory) or gguf (llama.cpp file).", Required = true };
        format.AcceptOnlyFromAmong("hf", "gguf");
        var dtype = new Option<string>("--dtype") { Description = "Weight type: f32 (default), f16, bf16 (hf only) or q8_0 (gguf only).", DefaultValueFactory = _ => "f32" };
        dtype.AcceptOnlyFromAmong("f32", "f16", "bf16", "q8_0");
        var output = new Option<string>("--out", "-o") { Description = "Output directory (hf) or file (gguf). It must not exist, or be empty, unless --force.", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace an existing output: the folder's whole contents (hf) or the file (gguf), swapped in when the export succeeds." };
        var command = new Command("export",
            "Export a model: a Hugging Face directory transformers can load, or a GGUF file for llama.cpp.\n\n" +
            "Examples:\n" +
            "  myna export --format gguf --dtype q8_0 --out myna-default-q8_0.gguf\n" +
            "  myna export --model runs/my-model --format hf --dtype f16 --out exported/my-model")
        {
            model, allowNonFinite, format, dtype, output, force,
        };
        command.SetAction(parsed =>
        {
            string kind = parsed.GetValue(format)!, type = parsed.GetValue(dtype)!, target = parsed.GetValue(output)!;
            if (kind == "hf" && type == "q8_0") throw new CliException("--dtype q8_0 is for --format gguf; Hugging Face directories take f32, f16 or bf16.", MynaApp.UsageError);
            if (kind == "gguf" && type == "bf16") throw new CliException("--dtype bf16 is for --format hf; GGUF export takes f32, f16 or q8_0.", MynaApp.UsageError);
            string source = ModelLocator.Resolve(parsed.GetValue(model));
            bool replace = parsed.GetValue(force);
            // Checked before loading: an output that may not be written is refused before any work.
            OutputFolder? folder = kind == "hf" ? OutputFolder.Begin(target, [source], replace) : null;
            using (folder)
            {
                if (folder is null) OutputFile.Check(target, [source], replace);
                GptLanguageModel lm = ModelLocator.Load(source, null, parsed.GetValue(allowNonFinite), parsed.InvocationConfiguration.Error);
                if (folder is not null)
                {
                    // Written whole under a staging folder and swapped in: no file of an earlier export survives beside it.
                    var safeType = type switch { "f16" => SafeTensorsDType.F16, "bf16" => SafeTensorsDType.BF16, _ => SafeTensorsDType.F32 };
                    lm.SavePretrained(folder.Staging, safeType);
                    lm.Tokenizer?.SaveTo(folder.Staging, lm.Config.ContextLength);
                    ModelCard card = ModelDirectory.LoadCard(source);
                    card.AddHubDefaults();
                    ModelDirectory.SaveCard(folder.Staging, card);
                    folder.Commit();
                }
                else
                {
                    if (lm.Tokenizer is null) throw new CliException($"'{source}' has no tokenizer files; GGUF needs the vocabulary.");
                    var ggufType = type switch { "f16" => GgufTensorType.F16, "q8_0" => GgufTensorType.Q8_0, _ => GgufTensorType.F32 };
                    lm.ExportGguf(target, ggufType, Path.GetFileName(Path.GetFullPath(source).TrimEnd('/')));
                }
            }
            long bytes = Directory.Exists(target) ? new DirectoryInfo(target).EnumerateFiles().Sum(f => f.Length) : new FileInfo(target).Length;
            parsed.InvocationConfiguration.Output.WriteLine($"wrote {target} ({kind}, {type}, {bytes / 1e6:F1} MB)");
            return MynaApp.Success;
        });
        return command;
    }
}
