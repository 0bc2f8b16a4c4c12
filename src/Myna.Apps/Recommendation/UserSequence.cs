namespace Myna.Apps.Recommendation;

/// <summary>One user's interactions as item tokens in time order, split leave-one-out: the last is the test target, the
/// second-last the validation target, the rest train.</summary>
/// <param name="UserId">The user's id in the source.</param>
/// <param name="Items">Item tokens, oldest first (ties in time broken by catalogue id).</param>
public sealed record UserSequence(int UserId, int[] Items)
{
    /// <summary>The training part: all but the last two.</summary>
    public ReadOnlySpan<int> Train => Items.AsSpan(0, Items.Length - 2);

    /// <summary>The validation target: the second-last item.</summary>
    public int Validation => Items[^2];

    /// <summary>The test target: the last item.</summary>
    public int Test => Items[^1];

    /// <summary>What a recommender sees before the test target: everything but the last item, at most <paramref name="cap"/> most recent.</summary>
    public ReadOnlySpan<int> TestHistory(int cap) => Recent(Items.AsSpan(0, Items.Length - 1), cap);

    /// <summary>What a recommender sees before the validation target, at most <paramref name="cap"/> most recent.</summary>
    public ReadOnlySpan<int> ValidationHistory(int cap) => Recent(Train, cap);

    private static ReadOnlySpan<int> Recent(ReadOnlySpan<int> items, int cap) => items.Length <= cap ? items : items[^cap..];
}
