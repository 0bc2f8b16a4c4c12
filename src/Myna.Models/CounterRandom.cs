namespace Myna.Models;

/// <summary>
/// Counter-based random numbers: the value at index i depends only on (seed, i), so parameters can be filled in
/// parallel, in any order, with the same result on every machine. SplitMix64's mixing function over
/// <c>seed·φ + i</c> gives 64 random bits; two of them make a standard normal by Box–Muller.
/// </summary>
public static class CounterRandom
{
    private const ulong GoldenGamma = 0x9E3779B97F4A7C15UL;

    /// <summary>64 well-mixed bits for (seed, counter).</summary>
    public static ulong Bits(ulong seed, ulong counter)
    {
        ulong z = unchecked(seed * GoldenGamma + (counter + 1) * GoldenGamma);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    /// <summary>A uniform double in (0, 1] for (seed, counter).</summary>
    public static double Uniform(ulong seed, ulong counter) => ((Bits(seed, counter) >> 11) + 1) * (1.0 / (1UL << 53));

    /// <summary>Both standard normal samples of Box–Muller pair k: those of indices 2k and 2k+1.</summary>
    public static (double Cosine, double Sine) NormalPair(ulong seed, ulong pair)
    {
        double radius = Math.Sqrt(-2.0 * Math.Log(Uniform(seed, 2 * pair)));
        (double sin, double cos) = Math.SinCos(2.0 * Math.PI * Uniform(seed, 2 * pair + 1));
        return (radius * cos, radius * sin);
    }

    /// <summary>A standard normal sample for (seed, index): indices 2k and 2k+1 are the cosine and sine halves of one Box–Muller pair.</summary>
    public static double Normal(ulong seed, ulong index)
    {
        var (cosine, sine) = NormalPair(seed, index >> 1);
        return (index & 1) == 0 ? cosine : sine;
    }
}
