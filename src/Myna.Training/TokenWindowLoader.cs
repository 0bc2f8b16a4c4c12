using Myna.Models;

namespace Myna.Training;

/// <summary>
/// Cuts a token stream into non-overlapping windows of T+1 tokens (inputs are the first T, targets the last T; window
/// i starts at i·T) and serves them B at a time. In random order every epoch is a Fisher–Yates permutation of the
/// windows drawn with <see cref="CounterRandom"/> from (seed, epoch), so the order is a pure function of the
/// position: saving <see cref="Position"/> and restoring it resumes mid-epoch exactly.
/// </summary>
public sealed class TokenWindowLoader
{
    private readonly ShardSplit _split;
    private readonly int _time;
    private readonly DataOrder _order;
    private readonly ulong _seed;
    private readonly int[] _window;
    private long[]? _permutation;
    private long _permutationEpoch = -1;

    /// <summary>A loader over <paramref name="split"/> serving windows of <paramref name="sequenceLength"/> tokens.</summary>
    /// <exception cref="TrainingOptionsException">The split is too short for one window.</exception>
    public TokenWindowLoader(ShardSplit split, int sequenceLength, DataOrder order, ulong seed, string splitName = "train")
    {
        _split = split;
        _time = sequenceLength;
        _order = order;
        _seed = seed;
        _window = new int[sequenceLength + 1];
        WindowCount = split.Count > sequenceLength ? (split.Count - 1) / sequenceLength : 0;
        if (WindowCount == 0)
            throw new TrainingOptionsException(
                $"the {splitName} split has {split.Count} tokens, fewer than one window of sequence_length + 1 = {sequenceLength + 1}; use a smaller --seq-len or more data.");
        Position = new LoaderPosition(0, 0);
    }

    /// <summary>Windows per epoch.</summary>
    public long WindowCount { get; }

    /// <summary>The next window to serve.</summary>
    public LoaderPosition Position { get; set; }

    /// <summary>Fills <paramref name="inputs"/> and <paramref name="targets"/> (each B·T) with the next B windows.</summary>
    public void NextBatch(Span<int> inputs, Span<int> targets)
    {
        int rows = inputs.Length / _time;
        for (int b = 0; b < rows; b++)
        {
            long window = WindowAt(Position);
            _split.CopyTo(window * _time, _window);
            _window.AsSpan(0, _time).CopyTo(inputs.Slice(b * _time, _time));
            _window.AsSpan(1, _time).CopyTo(targets.Slice(b * _time, _time));
            Position = Position.Cursor + 1 < WindowCount ? Position with { Cursor = Position.Cursor + 1 } : new LoaderPosition(Position.Epoch + 1, 0);
        }
    }

    private long WindowAt(LoaderPosition position)
    {
        if (_order == DataOrder.Sequential) return position.Cursor;
        if (_permutationEpoch != position.Epoch)
        {
            _permutation ??= new long[WindowCount];
            for (long i = 0; i < WindowCount; i++) _permutation[i] = i;
            // The epoch picks an independent stream: seed and epoch mixed through one more SplitMix round.
            ulong stream = CounterRandom.Bits(_seed, (ulong)position.Epoch);
            for (long i = WindowCount - 1; i > 0; i--)
            {
                long j = (long)(CounterRandom.Bits(stream, (ulong)i) % (ulong)(i + 1));
                (_permutation[i], _permutation[j]) = (_permutation[j], _permutation[i]);
            }
            _permutationEpoch = position.Epoch;
        }
        return _permutation![position.Cursor];
    }
}
