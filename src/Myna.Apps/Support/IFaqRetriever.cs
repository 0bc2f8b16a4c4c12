namespace Myna.Apps.Support;

/// <summary>Ranks FAQ entries for a question in one language.</summary>
public interface IFaqRetriever
{
    /// <summary>A short name for reports (<c>bm25</c>, <c>keyword</c>).</summary>
    string Name { get; }

    /// <summary>
    /// Up to <paramref name="top"/> entries for <paramref name="query"/>, best first, among the entries in
    /// <paramref name="lang"/> (the other language's when the knowledge base has none in it). Entries sharing no term
    /// with the query are not returned, so the list may be shorter or empty.
    /// </summary>
    IReadOnlyList<RetrievedEntry> Search(string query, string lang, int top);
}
