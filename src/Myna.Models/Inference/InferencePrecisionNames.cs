namespace Myna.Models.Inference;

/// <summary>
/// The names of <see cref="InferencePrecision"/> as every front end spells them (<c>--dtype</c> on the command line,
/// <c>dtype</c> in JSON output and model cards): f32, f16, int8, with common aliases accepted in any case.
/// </summary>
public static class InferencePrecisionNames
{
    /// <summary>The accepted names, for messages: "f32, f16 or int8".</summary>
    public const string Allowed = "f32, f16 or int8";

    /// <summary>The precision <paramref name="name"/> names (f32/fp32/float32, f16/fp16/float16, int8/q8_0/q8), or null when it names none.</summary>
    public static InferencePrecision? Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "f32" or "fp32" or "float32" => InferencePrecision.F32,
        "f16" or "fp16" or "float16" => InferencePrecision.F16,
        "int8" or "q8_0" or "q8" => InferencePrecision.Int8,
        _ => null,
    };

    /// <summary>The canonical name of <paramref name="precision"/> (f32, f16, int8).</summary>
    public static string Name(InferencePrecision precision) => precision.ToString().ToLowerInvariant();
}
