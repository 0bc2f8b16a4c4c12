namespace Myna.Tensors;

/// <summary>
/// How the operands of <c>C = op(A) · op(B)</c> are stored (row-major). The letters name op(A) then op(B):
/// N = as stored, T = transposed.
/// </summary>
public enum GemmLayout
{
    /// <summary>A is (M, K), B is (K, N).</summary>
    NN,

    /// <summary>A is (M, K), B is stored transposed as (N, K): weights laid out [out, in].</summary>
    NT,

    /// <summary>A is stored transposed as (K, M), B is (K, N): the weight-gradient shape of the backward pass.</summary>
    TN,
}
