namespace Myna.Evaluation.Rouge;

/// <summary>
/// The random numbers of NumPy's legacy global generator (<c>np.random.seed(s)</c>, then
/// <c>np.random.choice(n, size)</c>): MT19937 seeded with <c>init_genrand</c>, bounded integers drawn by masked
/// rejection sampling on 32-bit outputs. With it, <see cref="BootstrapAggregator"/> resamples exactly as
/// rouge-score's <c>BootstrapAggregator</c> does after <c>np.random.seed(s)</c>.
/// </summary>
public sealed class NumpyRandomState
{
    private const int StateLength = 624; // MT19937's N
    private const int Shift = 397; // MT19937's M
    private const uint MatrixA = 0x9908B0DF;
    private const uint UpperMask = 0x80000000;
    private const uint LowerMask = 0x7FFFFFFF;

    private readonly uint[] _key = new uint[StateLength];
    private int _position;

    /// <summary>The state <c>np.random.seed(<paramref name="seed"/>)</c> sets.</summary>
    public NumpyRandomState(uint seed)
    {
        _key[0] = seed;
        for (int i = 1; i < StateLength; i++)
            _key[i] = 1812433253u * (_key[i - 1] ^ (_key[i - 1] >> 30)) + (uint)i;
        _position = StateLength;
    }

    /// <summary>The next 32-bit output (MT19937 <c>genrand_int32</c>).</summary>
    public uint NextUInt32()
    {
        if (_position >= StateLength) Generate();
        uint y = _key[_position++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9D2C5680;
        y ^= (y << 15) & 0xEFC60000;
        y ^= y >> 18;
        return y;
    }

    /// <summary>A uniform integer in [0, <paramref name="high"/>), as legacy <c>randint(0, high)</c> draws it.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="high"/> is not in 1..2^32.</exception>
    public long NextBelow(long high)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(high, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(high, 1L << 32);
        ulong range = (ulong)(high - 1);
        if (range == 0) return 0; // NumPy draws nothing for a range of one value
        if (range == uint.MaxValue) return NextUInt32();
        // Smallest all-ones mask covering the range; redraw until the masked value is in range.
        uint mask = (uint)range;
        mask |= mask >> 1;
        mask |= mask >> 2;
        mask |= mask >> 4;
        mask |= mask >> 8;
        mask |= mask >> 16;
        uint value;
        do value = NextUInt32() & mask;
        while (value > range);
        return value;
    }

    private void Generate()
    {
        for (int i = 0; i < StateLength; i++)
        {
            uint y = (_key[i] & UpperMask) | (_key[(i + 1) % StateLength] & LowerMask);
            _key[i] = _key[(i + Shift) % StateLength] ^ (y >> 1) ^ ((y & 1) != 0 ? MatrixA : 0);
        }
        _position = 0;
    }
}
