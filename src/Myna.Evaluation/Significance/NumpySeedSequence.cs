namespace Myna.Evaluation.Significance;

/// <summary>
/// NumPy's <c>SeedSequence</c> (<c>numpy/random/bit_generator.pyx</c>, after Melissa O'Neill's <c>seed_seq</c>
/// design): it hashes a seed into a pool of four 32-bit words and draws the initial state of a bit generator from
/// that pool. Only what <c>np.random.default_rng(seed)</c> needs: a non-negative integer seed, no spawn key.
/// </summary>
internal sealed class NumpySeedSequence
{
    private const int PoolSize = 4;
    private const uint InitA = 0x43b0d7e5;
    private const uint MultA = 0x931e8875;
    private const uint InitB = 0x8b51f9dd;
    private const uint MultB = 0x58f38ded;
    private const uint MixMultL = 0xca01f9dd;
    private const uint MixMultR = 0x4973f715;
    private const int XShift = 16; // half the bits of a 32-bit word

    private readonly uint[] _pool = new uint[PoolSize];

    /// <summary>The sequence <c>SeedSequence(seed)</c> builds.</summary>
    public NumpySeedSequence(ulong seed)
    {
        // 1. The seed as little-endian 32-bit words (NumPy's _coerce_to_uint32_array; 0 is one zero word).
        var entropy = new List<uint> { (uint)seed };
        if (seed >> 32 != 0) entropy.Add((uint)(seed >> 32));

        // 2. mix_entropy: hash the words into the pool, then mix every pool word into every other.
        uint hashConst = InitA;
        for (int i = 0; i < PoolSize; i++)
            _pool[i] = HashMix(i < entropy.Count ? entropy[i] : 0, ref hashConst);
        for (int src = 0; src < PoolSize; src++)
        {
            for (int dst = 0; dst < PoolSize; dst++)
            {
                if (src != dst) _pool[dst] = Mix(_pool[dst], HashMix(_pool[src], ref hashConst));
            }
        }
        for (int src = PoolSize; src < entropy.Count; src++)
        {
            for (int dst = 0; dst < PoolSize; dst++) _pool[dst] = Mix(_pool[dst], HashMix(entropy[src], ref hashConst));
        }
    }

    /// <summary><c>generate_state(count, np.uint64)</c>: 64-bit words made of pairs of 32-bit draws, low word first.</summary>
    public ulong[] GenerateState64(int count)
    {
        var state = new ulong[count];
        uint hashConst = InitB;
        for (int i = 0; i < 2 * count; i++)
        {
            uint value = _pool[i % PoolSize];
            value ^= hashConst;
            hashConst *= MultB;
            value *= hashConst;
            value ^= value >> XShift;
            state[i / 2] |= (ulong)value << (32 * (i % 2));
        }
        return state;
    }

    private static uint HashMix(uint value, ref uint hashConst)
    {
        value ^= hashConst;
        hashConst *= MultA;
        value *= hashConst;
        value ^= value >> XShift;
        return value;
    }

    private static uint Mix(uint x, uint y)
    {
        uint result = MixMultL * x - MixMultR * y;
        result ^= result >> XShift;
        return result;
    }
}
