using System.Reflection;
using System.Runtime.InteropServices;
using LLama.Native;
using Myna.Tensors;

namespace Myna.Bench.Generation;

/// <summary>
/// Which of LLamaSharp's native llama.cpp builds (noavx, avx, avx2, avx512) the benchmark loads, chosen to match the
/// tier Myna runs at, and which one really got loaded.
/// </summary>
internal static class LlamaNative
{
    private static readonly Lock Gate = new();
    private static bool s_selected;
    private static readonly Lazy<bool> Installed = new(() =>
    {
        try
        {
            Assembly.Load(new AssemblyName("LLamaSharp"));
            return true;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    });

    /// <summary>
    /// Whether LLamaSharp is beside the program. A build from the repository has it; the published program (the myna
    /// tool, the container image) leaves llama.cpp out, and only the peer's methods would fail to load.
    /// </summary>
    public static bool IsInstalled => Installed.Value;

    /// <summary>Refuses, in one line that names the way out, a benchmark that asks for llama.cpp where it is not installed.</summary>
    /// <exception cref="ArgumentException">LLamaSharp is not beside the program.</exception>
    public static void RequireInstalled()
    {
        if (!IsInstalled)
            throw new ArgumentException("llama.cpp (LLamaSharp) is not part of this build of myna: the installed tool leaves it out. " +
                "Pass --skip-llama to measure Myna alone, or run the benchmark from a checkout (dotnet run --project src/Myna.Cli -c Release -- bench ...).");
    }

    /// <summary>
    /// Asks LLamaSharp for the build matching <paramref name="tier"/>; only possible before llama.cpp is first loaded
    /// in this process (a later call changes nothing, and <see cref="LoadedBuild"/> tells what is in use).
    /// </summary>
    public static void Select(SimdTier tier)
    {
        lock (Gate)
        {
            if (s_selected || NativeLibraryConfig.LLama.LibraryHasLoaded) return;
            AvxLevel level = tier switch
            {
                SimdTier.Avx512 => AvxLevel.Avx512,
                SimdTier.Avx2 => AvxLevel.Avx2,
                _ => AvxLevel.None,
            };
            NativeLibraryConfig.All.WithAvx(level);
            s_selected = true;
        }
    }

    /// <summary>
    /// The build llama.cpp runs from: the folder name of the loaded libllama (e.g. "avx2"), read from the process's
    /// memory map so that it reports what was loaded, not what was asked for; "unknown" where that cannot be read.
    /// </summary>
    public static string LoadedBuild()
    {
        const string maps = "/proc/self/maps";
        if (!OperatingSystem.IsLinux() || !File.Exists(maps)) return "unknown";
        foreach (string line in File.ReadLines(maps))
        {
            int slash = line.IndexOf('/');
            if (slash < 0 || !line.EndsWith("/libllama.so", StringComparison.Ordinal)) continue;
            string? folder = Path.GetFileName(Path.GetDirectoryName(line[slash..]));
            return folder is null or "native" ? "default" : folder;
        }
        return "unknown";
    }

    /// <summary>llama.cpp's own account of the instruction sets it was built for (its system-info line).</summary>
    public static string SystemInfo() => Marshal.PtrToStringAnsi(NativeApi.llama_print_system_info())?.Trim() ?? "";
}
