namespace Myna.Tensors;

/// <summary>
/// A register-blocked micro-kernel: multiplies one packed A panel (k-major, <see cref="Mr"/> rows) by one packed
/// B panel (k-major, <see cref="Nr"/> columns) over <c>kc</c> steps and writes the (Mr, Nr) tile of C.
/// Implemented by structs so the packed driver is specialised (and inlined) per kernel by the JIT.
/// </summary>
internal interface IGemmMicroKernel
{
    /// <summary>Rows of C per tile.</summary>
    static abstract int Mr { get; }

    /// <summary>Columns of C per tile.</summary>
    static abstract int Nr { get; }

    /// <summary>
    /// Computes <c>r = Σ_p a[p·Mr + i] · b[p·Nr + j]</c> for p in [0, kc) in ascending order, adds
    /// <c>bias[j]</c> when <paramref name="bias"/> is not null, then stores <c>c + r</c> when
    /// <paramref name="loadC"/> is set, else <c>r</c>. C has row stride <paramref name="ldc"/>.
    /// </summary>
    static abstract unsafe void Run(int kc, float* a, float* b, float* c, nint ldc, float* bias, bool loadC);
}
