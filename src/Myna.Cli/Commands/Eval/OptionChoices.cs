using System.CommandLine;

namespace Myna.Cli.Commands.Eval;

/// <summary>Restricting a string option to named choices with a one-line error (the built-in check lists the
/// choices on separate lines, which breaks the one-line error rule).</summary>
internal static class OptionChoices
{
    /// <summary>Accepts only <paramref name="choices"/>; help shows them as the value name.</summary>
    public static Option<string> OneOf(this Option<string> option, IReadOnlyList<string> choices)
    {
        option.HelpName = string.Join('|', choices);
        option.Validators.Add(result =>
        {
            string? value = result.GetValueOrDefault<string>();
            if (value is null || !choices.Contains(value))
                result.AddError($"{option.Name} must be one of {string.Join(", ", choices)}, not '{value}'");
        });
        return option;
    }
}
