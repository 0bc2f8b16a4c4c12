namespace Myna.Apps.Support;

/// <summary>One ranked FAQ entry: its id, its question in the language searched, and the retriever's score.</summary>
public sealed record RetrievedEntry(string Id, string Question, double Score);
