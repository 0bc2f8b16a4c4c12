using System.Diagnostics;
using System.Globalization;

namespace Myna.Tests.Cli;

/// <summary>
/// A test run started from a shell's background job (<c>cmd &amp;</c> in a script) has SIGINT ignored: a
/// non-interactive shell starts background commands that way, every child inherits it, and a program keeps an ignored
/// signal ignored, so <c>myna train</c> and <c>myna serve</c> then rightly do not stop on it. Tests that send SIGINT
/// start their child through coreutils' <c>env --default-signal=INT</c> when this process ignores it, so that they
/// test the program, not how the suite was launched.
/// </summary>
internal static class ChildSignals
{
    private const int Interrupt = 2; // SIGINT

    /// <summary>Whether this process ignores SIGINT (Linux; read from <c>/proc/self/status</c>).</summary>
    public static bool InterruptIgnoredHere { get; } = ReadInterruptIgnored();

    /// <summary>Makes <paramref name="start"/> run its program with SIGINT's default action where this process ignores it.</summary>
    public static void RestoreInterrupt(ProcessStartInfo start)
    {
        if (!InterruptIgnoredHere) return;
        string[] arguments = [.. start.ArgumentList];
        string program = start.FileName;
        start.FileName = "env";
        start.ArgumentList.Clear();
        start.ArgumentList.Add("--default-signal=INT"); // env execs the program: same process id
        start.ArgumentList.Add(program);
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
    }

    private static bool ReadInterruptIgnored()
    {
        if (!OperatingSystem.IsLinux()) return false;
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (!line.StartsWith("SigIgn:", StringComparison.Ordinal)) continue;
            ulong ignored = ulong.Parse(line["SigIgn:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            return (ignored & (1UL << (Interrupt - 1))) != 0;
        }
        return false;
    }
}
