namespace Myna.Apps.Recommendation;

/// <summary>One rating event: a user met an item at a time. The rating's value is not kept: every rating counts as an
/// interaction, as in SASRec and BERT4Rec's MovieLens protocol.</summary>
/// <param name="UserId">The user's id in the source file.</param>
/// <param name="ItemId">The item's id in the source file (MovieLens movieId).</param>
/// <param name="Timestamp">Seconds since the Unix epoch.</param>
public readonly record struct Interaction(int UserId, int ItemId, long Timestamp);
