using System.CommandLine;
using Myna.Bench;
using Myna.Tensors;

namespace Myna.Cli.Commands.Bench;

/// <summary>The <c>--isa</c> value of the bench commands, and the arguments to rerun a command with.</summary>
internal static class BenchIsa
{
    /// <summary>The tier <c>--isa</c> names; null for <c>auto</c>.</summary>
    /// <exception cref="CliException">Not a tier name (a usage error).</exception>
    public static SimdTier? Parse(string? value)
    {
        try
        {
            return IsaRelaunch.Parse(value);
        }
        catch (ArgumentException ex)
        {
            throw new CliException(ex.Message, MynaApp.UsageError, ex);
        }
    }

    /// <summary>
    /// Runs the command again in a child process held to the <c>--isa</c> tier <paramref name="value"/> names, when this
    /// process is not at that tier; returns the child's exit code, or null when the command should run here.
    /// </summary>
    /// <exception cref="CliException">Not a tier name, or a tier this CPU lacks (usage errors).</exception>
    public static int? RelaunchIfNeeded(ParseResult parseResult, string? value)
    {
        if (Parse(value) is not { } tier) return null;
        bool relaunch;
        try
        {
            relaunch = IsaRelaunch.IsNeeded(tier);
        }
        catch (ArgumentException ex)
        {
            throw new CliException(ex.Message, MynaApp.UsageError, ex);
        }
        return relaunch ? IsaRelaunch.Run(tier, Arguments(parseResult)) : null;
    }

    /// <summary>The command line as parsed (from the subcommand on, e.g. <c>bench gemm --isa avx2 --json</c>), for the child.</summary>
    public static IEnumerable<string> Arguments(ParseResult parseResult) => parseResult.Tokens.Select(token => token.Value);
}
