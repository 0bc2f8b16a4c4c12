namespace Myna.Evaluation.Significance;

/// <summary>
/// The draws of NumPy's default generator, <c>np.random.default_rng(seed)</c>: the PCG64 bit generator (128-bit LCG,
/// XSL-RR output) seeded through <see cref="NumpySeedSequence"/>, and <c>Generator.integers</c> /
/// <c>Generator.choice(n, size, replace=True)</c>, which bound 32-bit draws with Lemire's multiply-and-reject method.
/// sacreBLEU's paired bootstrap draws its resample indices this way (<c>significance.py</c>), so with the same seed
/// the resamples here are sacreBLEU's.
/// </summary>
/// <remarks>Not NumPy's legacy <c>RandomState</c> (MT19937), which rouge-score uses and
/// <see cref="Rouge.NumpyRandomState"/> reproduces: sacreBLEU 2.x moved to the <c>Generator</c> API.</remarks>
public sealed class NumpyGenerator
{
    // PCG's default 128-bit multiplier (PCG_DEFAULT_MULTIPLIER_128).
    private static readonly UInt128 Multiplier = new(2549297995355413924UL, 4865540595714422341UL);

    private UInt128 _state;
    private readonly UInt128 _increment;

    // NumPy hands out the two halves of a 64-bit output as two 32-bit draws, low half first.
    private bool _hasHalf;
    private uint _half;

    /// <summary>The generator <c>np.random.default_rng(<paramref name="seed"/>)</c> returns.</summary>
    public NumpyGenerator(ulong seed)
    {
        ulong[] words = new NumpySeedSequence(seed).GenerateState64(4);
        var initState = new UInt128(words[0], words[1]);
        var initSequence = new UInt128(words[2], words[3]);
        // pcg_setseq_128_srandom_r.
        _state = 0;
        _increment = (initSequence << 1) | 1;
        Step();
        _state += initState;
        Step();
    }

    /// <summary>The next 64-bit output (<c>pcg64_next64</c>: advance, then XSL-RR of the new state).</summary>
    public ulong NextUInt64()
    {
        Step();
        ulong high = (ulong)(_state >> 64), low = (ulong)_state;
        return ulong.RotateRight(high ^ low, (int)(high >> 58));
    }

    /// <summary>The next 32-bit output (<c>pcg64_next32</c>).</summary>
    public uint NextUInt32()
    {
        if (_hasHalf)
        {
            _hasHalf = false;
            return _half;
        }
        ulong next = NextUInt64();
        _hasHalf = true;
        _half = (uint)(next >> 32);
        return (uint)next;
    }

    /// <summary>A uniform integer in [0, <paramref name="high"/>), as <c>integers(0, high, dtype=np.int64)</c> draws it.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="high"/> is not in 1..2^32.</exception>
    public long NextBelow(long high)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(high, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(high, 1L << 32);
        ulong range = (ulong)(high - 1);
        if (range == 0) return 0; // NumPy draws nothing for a range of one value
        if (range == uint.MaxValue) return NextUInt32();

        // buffered_bounded_lemire_uint32: scale a 32-bit draw by the range, reject the few biased low parts.
        uint exclusive = (uint)range + 1;
        ulong m = (ulong)NextUInt32() * exclusive;
        uint leftover = (uint)m;
        if (leftover < exclusive)
        {
            uint threshold = (uint.MaxValue - (uint)range) % exclusive;
            while (leftover < threshold)
            {
                m = (ulong)NextUInt32() * exclusive;
                leftover = (uint)m;
            }
        }
        return (long)(m >> 32);
    }

    /// <summary><c>choice(population, size=(rows, population), replace=True)</c>: <paramref name="rows"/> resamples
    /// of <paramref name="population"/> indices each, drawn row by row.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A population outside 1..2^31-1 or negative rows.</exception>
    public int[][] ChooseWithReplacement(int population, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(population, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        var result = new int[rows][];
        for (int r = 0; r < rows; r++)
        {
            var row = new int[population];
            for (int i = 0; i < population; i++) row[i] = (int)NextBelow(population);
            result[r] = row;
        }
        return result;
    }

    private void Step() => _state = _state * Multiplier + _increment;
}
