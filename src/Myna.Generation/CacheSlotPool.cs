using System.Runtime.InteropServices;
using Myna.Models.Inference;

namespace Myna.Generation;

/// <summary>
/// The key/value-cache slots of one <see cref="GptInference"/>, rented to sequences and returned when they end. The
/// pool remembers which ids each slot holds, so a returned slot keeps its cache for the next prompt that starts the same
/// way (<see cref="Rent(ReadOnlySpan{int}, out int)"/> finds the idle slot holding the longest prefix of a prompt and
/// truncates it there, llama.cpp's prompt-cache reuse). Not thread-safe: the scheduler's thread owns it.
/// </summary>
public sealed class CacheSlotPool
{
    private readonly List<int>[] _tokens;  // per slot: the ids its cache holds, in order
    private readonly bool[] _rented;
    private readonly long[] _returnedAt;   // per slot: when it was last returned, for least-recently-used choice
    private long _clock;

    /// <summary>A pool over every sequence slot of <paramref name="engine"/>; every slot starts idle and empty.</summary>
    public CacheSlotPool(GptInference engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        Engine = engine;
        _tokens = new List<int>[engine.MaxSequences];
        for (int s = 0; s < _tokens.Length; s++)
        {
            _tokens[s] = [];
            engine.Reset(s);
        }
        _rented = new bool[engine.MaxSequences];
        _returnedAt = new long[engine.MaxSequences];
    }

    /// <summary>The engine whose cache is pooled.</summary>
    public GptInference Engine { get; }

    /// <summary>Slots in all.</summary>
    public int Capacity => _tokens.Length;

    /// <summary>Slots rented now.</summary>
    public int InUse { get; private set; }

    /// <summary>Slots free to rent.</summary>
    public int Idle => Capacity - InUse;

    /// <summary>Whether <paramref name="slot"/> is rented.</summary>
    public bool IsRented(int slot) => _rented[slot];

    /// <summary>Tokens cached in <paramref name="slot"/>.</summary>
    public int Length(int slot) => _tokens[slot].Count;

    /// <summary>The ids cached in <paramref name="slot"/>, in order.</summary>
    public ReadOnlySpan<int> Tokens(int slot) => CollectionsMarshal.AsSpan(_tokens[slot]);

    /// <summary>
    /// Rents the idle slot whose cache holds the longest prefix of <paramref name="prompt"/> (the least recently returned
    /// among equals) and truncates it to that prefix, so only the rest of the prompt needs a forward pass. At most
    /// prompt length − 1 tokens are reused: the last prompt token must be fed to get the next token's logits.
    /// </summary>
    /// <param name="prompt">The prompt the slot is for.</param>
    /// <param name="reused">Prompt tokens already in the slot's cache.</param>
    /// <returns>The slot, or −1 when none is idle.</returns>
    public int Rent(ReadOnlySpan<int> prompt, out int reused)
    {
        reused = 0;
        int best = -1;
        for (int s = 0; s < Capacity; s++)
        {
            if (_rented[s]) continue;
            int common = CommonPrefix(Tokens(s), prompt);
            common = Math.Min(common, Math.Max(0, prompt.Length - 1));
            if (best < 0 || common > reused || (common == reused && _returnedAt[s] < _returnedAt[best]))
            {
                best = s;
                reused = common;
            }
        }
        if (best < 0) return -1;
        Take(best);
        Truncate(best, reused);
        return best;
    }

    /// <summary>Rents the least recently returned idle slot and empties it; −1 when none is idle.</summary>
    public int Rent()
    {
        int best = -1;
        for (int s = 0; s < Capacity; s++)
        {
            if (!_rented[s] && (best < 0 || _returnedAt[s] < _returnedAt[best])) best = s;
        }
        if (best < 0) return -1;
        Take(best);
        Truncate(best, 0);
        return best;
    }

    /// <summary>Returns a rented slot; its cache stays for a later prompt with the same prefix.</summary>
    /// <exception cref="InvalidOperationException">The slot is not rented.</exception>
    public void Return(int slot)
    {
        if (!_rented[slot]) throw new InvalidOperationException($"slot {slot} is not rented.");
        _rented[slot] = false;
        _returnedAt[slot] = ++_clock;
        InUse--;
    }

    /// <summary>Keeps only the first <paramref name="length"/> cached tokens of a slot.</summary>
    public void Truncate(int slot, int length)
    {
        Engine.Truncate(slot, length);
        _tokens[slot].RemoveRange(length, _tokens[slot].Count - length);
    }

    /// <summary>Copies one slot's cache into another (n &gt; 1 continuations share one prefill).</summary>
    public void CopySequence(int from, int to)
    {
        Engine.CopySequence(from, to);
        _tokens[to].Clear();
        _tokens[to].AddRange(_tokens[from]);
    }

    /// <summary>
    /// <see cref="GptInference.Forward(ReadOnlySpan{int}, ReadOnlySpan{int}, ReadOnlySpan{int}, Span{float}, bool, ReadOnlySpan{bool}, ReadOnlySpan{bool})"/>
    /// over slots, recording the ids each slot now holds. Chunks flagged in <paramref name="noLogitsOf"/> get no row;
    /// chunks flagged in <paramref name="everyPositionOf"/> get a
    /// logits row per token (empty: one row per chunk).
    /// </summary>
    public void Forward(ReadOnlySpan<int> slots, ReadOnlySpan<int> counts, ReadOnlySpan<int> tokens, Span<float> logits, ReadOnlySpan<bool> everyPositionOf = default,
        ReadOnlySpan<bool> noLogitsOf = default)
    {
        Engine.Forward(slots, counts, tokens, logits, everyPositionOf: everyPositionOf, noLogitsOf: noLogitsOf);
        for (int j = 0, at = 0; j < slots.Length; at += counts[j], j++) _tokens[slots[j]].AddRange(tokens.Slice(at, counts[j]));
    }

    private void Take(int slot)
    {
        _rented[slot] = true;
        InUse++;
    }

    private static int CommonPrefix(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.CommonPrefixLength(b);
}
