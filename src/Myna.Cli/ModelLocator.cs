using System.CommandLine;
using Myna.Generation;
using Myna.Models.Inference;
using Myna.Models.Checkpoints;
using Myna.Text.Tokenization;

namespace Myna.Cli;

/// <summary>Finds and loads the model a command works on: <c>--model DIR</c>, else the embedded default model.</summary>
internal static class ModelLocator
{
    /// <summary>Where the default model lives in the repository.</summary>
    public const string DefaultModelPath = "models/myna-default";

    /// <summary>Environment variable that points at another default model directory.</summary>
    public const string DefaultModelVariable = "MYNA_DEFAULT_MODEL";

    /// <summary>The directory of <paramref name="requested"/>, or of the default model when it is null.</summary>
    public static string Resolve(string? requested)
    {
        if (requested is not null) return requested;
        if (Environment.GetEnvironmentVariable(DefaultModelVariable) is { Length: > 0 } fromEnvironment) return fromEnvironment;
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, DefaultModelPath);
                if (File.Exists(Path.Combine(candidate, "config.json"))) return candidate;
            }
        }
        throw new CliException($"no --model given and the default model ({DefaultModelPath}) was not found here or above; pass --model DIR.");
    }

    /// <summary><c>--dtype f32|f16|int8</c>: the precision the model's linear layers are held in for generation.</summary>
    public static Option<string> CreateDtypeOption() => new("--dtype")
    {
        Description = "Weight precision for generation: f32 (exact), f16 (half the memory, faster) or int8 (q8_0-like blocks, fastest).",
        DefaultValueFactory = _ => "f32",
        Validators = { result =>
        {
            if (ParseDtype(result.GetValueOrDefault<string>()) is null) result.AddError("--dtype must be f32, f16 or int8");
        } },
    };

    /// <summary>The precision named by a <c>--dtype</c> value, or null when it names none.</summary>
    public static InferencePrecision? ParseDtype(string? value) => value?.ToLowerInvariant() switch
    {
        "f32" or "fp32" or "float32" => InferencePrecision.F32,
        "f16" or "fp16" or "float16" => InferencePrecision.F16,
        "int8" or "q8_0" or "q8" => InferencePrecision.Int8,
        _ => null,
    };

    /// <summary>The <c>--dtype</c> name of a precision, as JSON output and model cards report it (f32, f16, int8).</summary>
    public static string DtypeName(InferencePrecision precision) => precision.ToString().ToLowerInvariant();

    /// <summary>Loads a model directory, turning format problems into one-line errors.</summary>
    public static GptLanguageModel Load(string? requested, string? dtype = null)
    {
        string directory = Resolve(requested);
        InferencePrecision precision = ParseDtype(dtype ?? "f32") ?? throw new CliException("--dtype must be f32, f16 or int8.", MynaApp.UsageError);
        try
        {
            return GptLanguageModel.FromPretrained(directory, precision);
        }
        catch (Exception ex) when (ex is ModelFormatException or SafeTensorsFormatException or TokenizerFormatException or FileNotFoundException)
        {
            throw new CliException(ex.Message);
        }
    }
}
