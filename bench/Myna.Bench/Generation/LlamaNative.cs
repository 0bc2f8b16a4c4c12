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
