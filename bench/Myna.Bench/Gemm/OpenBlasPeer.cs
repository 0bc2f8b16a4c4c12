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

    private readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> _sgemm;
    private readonly delegate* unmanaged<int, void> _setThreads;

    private OpenBlasPeer(string library, nint sgemm, nint setThreads)
    {
        Library = library;
        _sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)sgemm;
        _setThreads = (delegate* unmanaged<int, void>)setThreads;
    }

    /// <summary>The library name that loaded.</summary>
    public string Library { get; }

    /// <summary>Loads OpenBLAS, or returns null when it is not installed.</summary>
    public static OpenBlasPeer? TryLoad()
    {
        foreach (string name in LibraryNames)
        {
            if (!NativeLibrary.TryLoad(name, out nint handle)) continue;
            if (NativeLibrary.TryGetExport(handle, "cblas_sgemm", out nint sgemm)
                && NativeLibrary.TryGetExport(handle, "openblas_set_num_threads", out nint setThreads))
                return new OpenBlasPeer(name, sgemm, setThreads);
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
