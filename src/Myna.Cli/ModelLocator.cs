using System.CommandLine;
using Myna.Generation;
using Myna.Models.Inference;
using Myna.Models.Checkpoints;
using Myna.Text.Tokenization;

namespace Myna.Cli;

/// <summary>Finds and loads the model a command works on: <c>--model DIR</c>, else the embedded default model.</summary>
internal static class ModelLocator
{
    /// <summary>Where the default model lives in the repository (<see cref="DefaultModel.RelativePath"/>).</summary>
    public const string DefaultModelPath = DefaultModel.RelativePath;

    /// <summary>The directory of <paramref name="requested"/>, or of the default model when it is null (<see cref="DefaultModel"/>).</summary>
    public static string Resolve(string? requested)
    {
        try
        {
            return DefaultModel.Resolve(requested);
        }
        catch (DirectoryNotFoundException missing)
        {
            throw new CliException(missing.Message);
        }
    }

    /// <summary><c>--dtype f32|f16|int8</c>: the precision the model's linear layers are held in for generation.</summary>
    public static Option<string> CreateDtypeOption() => new("--dtype")
    {
        Description = "Weight precision for generation: f32 (exact), f16 (half the memory, faster) or int8 (q8_0-like blocks, fastest).",
        DefaultValueFactory = _ => "f32",
        Validators = { result =>
        {
            if (ParseDtype(result.GetValueOrDefault<string>()) is null) result.AddError($"--dtype must be {InferencePrecisionNames.Allowed}");
        } },
    };

    /// <summary>The precision named by a <c>--dtype</c> value, or null when it names none.</summary>
    public static InferencePrecision? ParseDtype(string? value) => InferencePrecisionNames.Parse(value);

    /// <summary>The <c>--dtype</c> name of a precision, as JSON output and model cards report it (f32, f16, int8).</summary>
    public static string DtypeName(InferencePrecision precision) => InferencePrecisionNames.Name(precision);

    /// <summary><c>--allow-nonfinite</c>: load weights holding NaN or infinity, with a warning, instead of refusing them.</summary>
    public static Option<bool> CreateAllowNonFiniteOption() => new("--allow-nonfinite")
    {
        Description = "Load weights that hold NaN or infinity (a run that diverged) with a warning, to inspect them; refused otherwise, since such a model generates garbage.",
    };

    /// <summary>Loads a model directory, turning format problems into one-line errors.</summary>
    /// <param name="requested">--model, or null for the default model.</param>
    /// <param name="dtype">--dtype, or null for f32.</param>
    /// <param name="allowNonFinite">--allow-nonfinite: load NaN/infinite weights and warn on <paramref name="warnings"/>.</param>
    /// <param name="warnings">Where the warning goes (stderr).</param>
    public static GptLanguageModel Load(string? requested, string? dtype = null, bool allowNonFinite = false, TextWriter? warnings = null)
    {
        string directory = Resolve(requested);
        InferencePrecision precision = ParseDtype(dtype ?? "f32") ?? throw new CliException($"--dtype must be {InferencePrecisionNames.Allowed}.", MynaApp.UsageError);
        try
        {
            GptLanguageModel model = GptLanguageModel.FromPretrained(directory, precision, allowNonFinite);
            if (allowNonFinite && GptCheckpoint.DescribeNonFinite(model.Weights) is { } problem)
                warnings?.WriteLine($"warning: {directory}: {problem}; loaded because of --allow-nonfinite, its output will not be meaningful.");
            return model;
        }
        catch (Exception ex) when (ex is ModelFormatException or SafeTensorsFormatException or TokenizerFormatException or FileNotFoundException)
        {
            throw new CliException(ex.Message);
        }
    }
}
