using System.Runtime.InteropServices;
using Myna.Tensors;

namespace Myna.Bench.Gemm;

/// <summary>
/// OpenBLAS <c>cblas_sgemm</c>, loaded at run time (Debian: <c>libopenblas-dev</c>). Absent library → <see cref="TryLoad"/>
/// returns null and the benchmark reports no peer figures.
/// </summary>
public sealed unsafe class OpenBlasPeer
{
    private const int CblasRowMajor = 101;
    private const int CblasNoTrans = 111;
    private const int CblasTrans = 112;

    private static readonly string[] LibraryNames = ["libopenblas.so.0", "libopenblas.so", "libopenblas.dll", "libopenblas.dylib"];

    /// <summary>The variable that makes a DYNAMIC_ARCH OpenBLAS use one CPU's kernels; read once, when the library loads.</summary>
    public const string CoreTypeVariable = "OPENBLAS_CORETYPE";

    /// <summary>A cache-size override some machines preset along with <see cref="CoreTypeVariable"/>; it would skew
    /// the forced kernel's blocking, so it goes with it.</summary>
    public const string L2SizeVariable = "OPENBLAS_L2_SIZE";

    private readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> _sgemm;
    private readonly delegate* unmanaged<int, void> _setThreads;

    private OpenBlasPeer(string library, nint sgemm, nint setThreads, string? coreName)
    {
        Library = library;
        _sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)sgemm;
        _setThreads = (delegate* unmanaged<int, void>)setThreads;
        CoreName = coreName;
    }

    /// <summary>The library name that loaded.</summary>
    public string Library { get; }

    /// <summary>The CPU whose kernels OpenBLAS runs (<c>openblas_get_corename</c>, e.g. "Haswell"); null when the
    /// library does not say.</summary>
    public string? CoreName { get; }

    /// <summary>
    /// OpenBLAS's kernel family that uses the same instructions as Myna's <paramref name="tier"/> (names as OpenBLAS
    /// 0.3.21's <c>OPENBLAS_CORETYPE</c> accepts them): SkylakeX (AVX-512), Haswell (AVX2 + FMA), Nehalem (SSE4.2,
    /// 128-bit, no AVX: what the portable tier runs on x64).
    /// </summary>
    public static string CoreTypeFor(SimdTier tier) => tier switch
    {
        SimdTier.Avx512 => "SkylakeX",
        SimdTier.Avx2 => "Haswell",
        _ => "Nehalem",
    };

    /// <summary>The environment a process needs for OpenBLAS to run the kernels of <paramref name="tier"/>: the core
    /// type set and the L2 override removed (null value).</summary>
    public static IReadOnlyDictionary<string, string?> EnvironmentFor(SimdTier tier) =>
        new Dictionary<string, string?> { [CoreTypeVariable] = CoreTypeFor(tier), [L2SizeVariable] = null };

    /// <summary>Whether this process's environment already holds OpenBLAS to <paramref name="tier"/>'s kernels.</summary>
    public static bool IsPinnedTo(SimdTier tier) =>
        EnvironmentFor(tier).All(variable => Environment.GetEnvironmentVariable(variable.Key) == variable.Value);

    /// <summary>Loads OpenBLAS, or returns null when it is not installed.</summary>
    public static OpenBlasPeer? TryLoad()
    {
        foreach (string name in LibraryNames)
        {
            if (!NativeLibrary.TryLoad(name, out nint handle)) continue;
            if (NativeLibrary.TryGetExport(handle, "cblas_sgemm", out nint sgemm)
                && NativeLibrary.TryGetExport(handle, "openblas_set_num_threads", out nint setThreads))
            {
                string? core = NativeLibrary.TryGetExport(handle, "openblas_get_corename", out nint getCoreName)
                    ? Marshal.PtrToStringUTF8(((delegate* unmanaged<nint>)getCoreName)())
                    : null;
                return new OpenBlasPeer(name, sgemm, setThreads, core);
            }
        }
        return null;
    }

    /// <summary>Sets the number of threads OpenBLAS uses.</summary>
    public void SetThreads(int threads) => _setThreads(threads);

    /// <summary>C = op(A)·op(B), row-major, with the same layout conventions as <see cref="Myna.Tensors.Gemm"/>.</summary>
    public void Multiply(float* a, float* b, float* c, int m, int n, int k, GemmLayout layout)
    {
        int transA = layout == GemmLayout.TN ? CblasTrans : CblasNoTrans;
        int transB = layout == GemmLayout.NT ? CblasTrans : CblasNoTrans;
        int lda = layout == GemmLayout.TN ? m : k;
        int ldb = layout == GemmLayout.NT ? k : n;
        _sgemm(CblasRowMajor, transA, transB, m, n, k, 1f, a, lda, b, ldb, 0f, c, n);
    }
}
