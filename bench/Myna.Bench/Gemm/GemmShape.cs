namespace Myna.Bench.Gemm;

/// <summary>One product to measure: C (M, N) = op(A) (M, K) · op(B) (K, N).</summary>
public sealed record GemmShape(int M, int N, int K)
{
    /// <summary>GPT-2 small at B·T = 256 tokens: QKV projection, MLP up, MLP down, LM head; and square 1024.</summary>
    public static IReadOnlyList<GemmShape> Gpt2 { get; } =
    [
        new(256, 2304, 768),
        new(256, 3072, 768),
        new(256, 768, 3072),
        new(256, 50257, 768),
        new(1024, 1024, 1024),
    ];

    /// <summary>Multiply-adds × 2.</summary>
    public double Flops => 2.0 * M * N * K;

    /// <summary>Parses "M,N,K" or "MxNxK".</summary>
    public static GemmShape Parse(string text)
    {
        string[] parts = text.Split([',', 'x', 'X'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 3 || !int.TryParse(parts[0], out int m) || !int.TryParse(parts[1], out int n)
            || !int.TryParse(parts[2], out int k) || m < 1 || n < 1 || k < 1)
            throw new FormatException($"A shape is M,N,K with positive whole numbers (e.g. 256,2304,768); got '{text}'.");
        return new GemmShape(m, n, k);
    }

    public override string ToString() => $"{M}x{N}x{K}";
}
