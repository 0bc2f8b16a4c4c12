using Myna.Generation;
using Myna.Models.Inference;

namespace Myna.Tests.Generation;

public class CacheSlotPoolTests(TinyModelDirectory directory) : IClassFixture<TinyModelDirectory>
{
    private CacheSlotPool Pool(int slots) => new(new GptInference(new InferenceWeights(directory.Weights), slots));

    private static void Feed(CacheSlotPool pool, int slot, params int[] tokens) =>
        pool.Forward([slot], [tokens.Length], tokens, new float[257]);

    [Fact]
    public void RentReturnAndCountsTrackSlots()
    {
        CacheSlotPool pool = Pool(2);
        int a = pool.Rent(), b = pool.Rent();
        Assert.NotEqual(a, b);
        Assert.Equal(-1, pool.Rent());
        Assert.Equal(2, pool.InUse);
        pool.Return(a);
        Assert.Equal(1, pool.Idle);
        Assert.Throws<InvalidOperationException>(() => pool.Return(a));
    }

    [Fact]
    public void APromptRentsTheIdleSlotHoldingItsLongestPrefixAndItIsTruncatedThere()
    {
        CacheSlotPool pool = Pool(3);
        int[] slots = [pool.Rent(), pool.Rent(), pool.Rent()];
        Feed(pool, slots[0], 1, 2, 3);
        Feed(pool, slots[1], 1, 2, 3, 4, 5, 6);
        Feed(pool, slots[2], 9, 9);
        foreach (int s in slots) pool.Return(s);

        int slot = pool.Rent([1, 2, 3, 4, 7, 8], out int reused);
        Assert.Equal(slots[1], slot);
        Assert.Equal(4, reused);
        Assert.Equal(4, pool.Length(slot));
        Assert.Equal(4, pool.Engine.Length(slot));
        Assert.Equal([1, 2, 3, 4], pool.Tokens(slot).ToArray());

        // The whole prompt cached: one token is still left to feed, for the logits.
        int again = pool.Rent([1, 2, 3], out int most);
        Assert.Equal(slots[0], again);
        Assert.Equal(2, most);

        // No prefix in common: the least recently returned idle slot, emptied.
        int other = pool.Rent([5, 5], out int none);
        Assert.Equal(slots[2], other);
        Assert.Equal(0, none);
        Assert.Equal(0, pool.Engine.Length(other));
    }

    [Fact]
    public void ReusedPrefixGivesTheSameLogitsAsRecomputing()
    {
        CacheSlotPool pool = Pool(2);
        int first = pool.Rent();
        Feed(pool, first, 10, 20, 30, 40);
        pool.Return(first);
        int slot = pool.Rent([10, 20, 30, 50, 60], out int reused);
        Assert.Equal(3, reused);
        var logits = new float[257];
        pool.Forward([slot], [2], [50, 60], logits);

        var fresh = new GptInference(new InferenceWeights(directory.Weights));
        Assert.Equal(fresh.Forward(0, [10, 20, 30, 50, 60]), logits);
    }

    [Fact]
    public void CopySequenceCopiesTheCacheAndTheIds()
    {
        CacheSlotPool pool = Pool(2);
        int a = pool.Rent(), b = pool.Rent();
        Feed(pool, a, 3, 4, 5);
        pool.CopySequence(a, b);
        Assert.Equal(pool.Tokens(a).ToArray(), pool.Tokens(b).ToArray());
        var la = new float[257];
        var lb = new float[257];
        pool.Forward([a], [1], [6], la);
        pool.Forward([b], [1], [6], lb);
        Assert.Equal(la, lb);
    }

    [Fact]
    public void A_chunk_flagged_for_every_position_gets_the_rows_a_whole_pass_gives_and_the_others_keep_theirs()
    {
        const int vocab = 257;
        int[] scored = [10, 20, 30, 40, 50], other = [7, 8, 9];
        // Reference: each chunk alone, the scored one with logits at every position.
        var alone = new float[scored.Length * vocab];
        Pool(1).Forward([0], [scored.Length], scored, alone, [true]);
        var otherAlone = new float[vocab];
        Pool(1).Forward([0], [other.Length], other, otherAlone);

        // Together in one call, the flagged chunk second: rows are the other chunk's last, then every scored position.
        var together = new float[(1 + scored.Length) * vocab];
        Pool(2).Forward([1, 0], [other.Length, scored.Length], [.. other, .. scored], together, [false, true]);
        Assert.Equal(otherAlone, together[..vocab]);          // bit for bit: a row does not depend on its neighbours
        Assert.Equal(alone, together[vocab..]);
    }
}
