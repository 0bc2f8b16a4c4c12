using System.Diagnostics;
using System.Reflection;
using Myna.Tensors;

namespace Myna.Bench;

/// <summary>
/// <c>--isa</c> for benchmarks: runs the same command again in a child process whose runtime has the higher instruction
/// sets switched off, so every Myna kernel (and the JIT's own Vector code) runs at the asked tier, not only the ones
/// that consult <see cref="SimdTiers"/>. The child inherits the console, so its table or JSON is the command's output.
/// </summary>
/// <remarks>
/// .NET 10 reads <c>DOTNET_EnableAVX512</c> (the older <c>DOTNET_EnableAVX512F</c> is ignored; both are set so older
/// runtimes obey too). The portable tier also turns off AVX, leaving 128-bit vectors as on an Arm64 (NEON) machine.
/// </remarks>
public static class IsaRelaunch
{
    /// <summary>Set in the child so that it never relaunches again.</summary>
    public const string MarkerVariable = "MYNA_ISA_RELAUNCHED";

    /// <summary>Parses an <c>--isa</c> value: <c>auto</c> (null: this machine's best tier) or a tier name.</summary>
    /// <exception cref="ArgumentException">The name is not auto, avx512, avx2 or portable.</exception>
    public static SimdTier? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase)) return null;
        if (SimdTiers.TryParse(value, out SimdTier tier)) return tier;
        throw new ArgumentException($"--isa must be auto, avx512, avx2 or portable, not '{value}'.");
    }

    /// <summary>
    /// Whether running at <paramref name="requested"/> needs a child process: false when this process already runs at
    /// that tier (or is itself the child).
    /// </summary>
    /// <exception cref="ArgumentException">This CPU cannot run the requested tier.</exception>
    public static bool IsNeeded(SimdTier? requested)
    {
        if (requested is not { } tier || tier == SimdTiers.Current) return false;
        if (!SimdTiers.IsSupported(tier))
            throw new ArgumentException($"this CPU cannot run --isa {SimdTiers.Name(tier)} (best tier here: {SimdTiers.Name(SimdTiers.Current)}).");
        if (Environment.GetEnvironmentVariable(MarkerVariable) is not null) return false;
        return true;
    }

    /// <summary>The environment that holds a .NET process to <paramref name="tier"/>.</summary>
    public static IReadOnlyDictionary<string, string> EnvironmentFor(SimdTier tier)
    {
        var variables = new Dictionary<string, string> { ["MYNA_ISA"] = SimdTiers.Name(tier), [MarkerVariable] = "1" };
        if (tier < SimdTier.Avx512)
        {
            variables["DOTNET_EnableAVX512"] = "0";
            variables["DOTNET_EnableAVX512F"] = "0";
        }
        if (tier < SimdTier.Avx2)
        {
            variables["DOTNET_EnableAVX2"] = "0";
            variables["DOTNET_EnableAVX"] = "0";
        }
        return variables;
    }

    /// <summary>
    /// Runs this program again with <paramref name="arguments"/> at <paramref name="tier"/>, sharing the console, and
    /// returns its exit code.
    /// </summary>
    public static int Run(SimdTier tier, IEnumerable<string> arguments) => Run(tier, arguments, extraEnvironment: null);

    /// <summary>
    /// As <see cref="Run(SimdTier, IEnumerable{string})"/>, with <paramref name="extraEnvironment"/> applied to the
    /// child on top: a null value removes that variable. For settings a native peer reads once, when it loads
    /// (OpenBLAS's <c>OPENBLAS_CORETYPE</c>), which only a fresh process can change.
    /// </summary>
    public static int Run(SimdTier tier, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? extraEnvironment)
    {
        using var child = Process.Start(StartInfo(tier, arguments, captureOutput: false, extraEnvironment))
            ?? throw new InvalidOperationException("could not start a child process.");
        child.WaitForExit();
        return child.ExitCode;
    }

    /// <summary>
    /// As <see cref="Run(SimdTier, IEnumerable{string})"/>, but returns what the child wrote on standard output instead of showing it (its standard
    /// error still reaches the console, so progress stays visible).
    /// </summary>
    public static (int ExitCode, string Output) RunCapturing(SimdTier tier, IEnumerable<string> arguments)
    {
        using var child = Process.Start(StartInfo(tier, arguments, captureOutput: true, extraEnvironment: null))
            ?? throw new InvalidOperationException("could not start a child process.");
        string output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        return (child.ExitCode, output);
    }

    private static ProcessStartInfo StartInfo(SimdTier tier, IEnumerable<string> arguments, bool captureOutput, IReadOnlyDictionary<string, string?>? extraEnvironment)
    {
        string host = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find this program's path to relaunch it.");
        var start = new ProcessStartInfo(host) { UseShellExecute = false, RedirectStandardOutput = captureOutput };
        // Under `dotnet Myna.Cli.dll` the host is dotnet itself, and the program is its first argument.
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            && Assembly.GetEntryAssembly()?.Location is { Length: > 0 } entry)
            start.ArgumentList.Add(entry);
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in EnvironmentFor(tier)) start.Environment[name] = value;
        foreach (var (name, value) in extraEnvironment ?? new Dictionary<string, string?>())
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }
        return start;
    }
}
