using System.CommandLine;
using Myna.Generation;
using Myna.Models.Checkpoints;
using Myna.Models.Checkpoints.Gguf;

namespace Myna.Cli.Commands;

/// <summary><c>myna export</c>: write a model for other tools: a Hugging Face directory or a llama.cpp GGUF file.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = $"Model directory to export. Default: {ModelLocator.DefaultModelPath}." };
        var format = new Option<string>("--format") { Description = "hf (transformers directory) or gguf (llama.cpp file).", Required = true };
        format.AcceptOnlyFromAmong("hf", "gguf");
        var dtype = new Option<string>("--dtype") { Description = "Weight type: f32 (default), f16, bf16 (hf only) or q8_0 (gguf only).", DefaultValueFactory = _ => "f32" };
        dtype.AcceptOnlyFromAmong("f32", "f16", "bf16", "q8_0");
        var output = new Option<string>("--out", "-o") { Description = "Output directory (hf) or file (gguf).", Required = true };
        var command = new Command("export",
            "Export a model: a Hugging Face directory transformers can load, or a GGUF file for llama.cpp.\n\n" +
            "Examples:\n" +
            "  myna export --format gguf --dtype q8_0 --out myna-default-q8_0.gguf\n" +
            "  myna export --model runs/my-model --format hf --dtype f16 --out exported/my-model")
        {
            model, format, dtype, output,
        };
        command.SetAction(parsed =>
        {
            string kind = parsed.GetValue(format)!, type = parsed.GetValue(dtype)!, target = parsed.GetValue(output)!;
            if (kind == "hf" && type == "q8_0") throw new CliException("--dtype q8_0 is for --format gguf; Hugging Face directories take f32, f16 or bf16.", MynaApp.UsageError);
            if (kind == "gguf" && type == "bf16") throw new CliException("--dtype bf16 is for --format hf; GGUF export takes f32, f16 or q8_0.", MynaApp.UsageError);
            string source = ModelLocator.Resolve(parsed.GetValue(model));
            GptLanguageModel lm = ModelLocator.Load(source);
            if (kind == "hf")
            {
                var safeType = type switch { "f16" => SafeTensorsDType.F16, "bf16" => SafeTensorsDType.BF16, _ => SafeTensorsDType.F32 };
                lm.SavePretrained(target, safeType);
                lm.Tokenizer?.SaveTo(target);
                string card = Path.Combine(source, "model_card.md");
                if (File.Exists(card) && !string.Equals(Path.GetFullPath(source), Path.GetFullPath(target), StringComparison.Ordinal))
                    File.Copy(card, Path.Combine(target, "model_card.md"), overwrite: true);
            }
            else
            {
                if (lm.Tokenizer is null) throw new CliException($"'{source}' has no tokenizer files; GGUF needs the vocabulary.");
                var ggufType = type switch { "f16" => GgufTensorType.F16, "q8_0" => GgufTensorType.Q8_0, _ => GgufTensorType.F32 };
                lm.ExportGguf(target, ggufType, Path.GetFileName(Path.GetFullPath(source).TrimEnd('/')));
            }
            long bytes = Directory.Exists(target) ? new DirectoryInfo(target).EnumerateFiles().Sum(f => f.Length) : new FileInfo(target).Length;
            parsed.InvocationConfiguration.Output.WriteLine($"wrote {target} ({kind}, {type}, {bytes / 1e6:F1} MB)");
            return MynaApp.Success;
        });
        return command;
    }
}
