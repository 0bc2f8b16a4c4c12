using System.Collections.Frozen;
using System.Reflection;

namespace Myna.Text.Nlp.StopWords;

/// <summary>English and Chinese stop-word lists (function words carrying little topic information), embedded in the
/// assembly; provenance in PROVENANCE.md beside the lists.</summary>
public static class StopWordLists
{
    private static readonly Lazy<FrozenSet<string>> EnglishList = new(() => Load("en.txt", StringComparer.OrdinalIgnoreCase));
    private static readonly Lazy<FrozenSet<string>> ChineseList = new(() => Load("zh.txt", StringComparer.Ordinal));

    /// <summary>NLTK's English list (127 words), case-insensitive.</summary>
    public static FrozenSet<string> English => EnglishList.Value;

    /// <summary>jieba's Chinese list (503 entries).</summary>
    public static FrozenSet<string> Chinese => ChineseList.Value;

    /// <summary>True if <paramref name="word"/> is in either list.</summary>
    public static bool IsStopWord(string word) => English.Contains(word) || Chinese.Contains(word);

    private static FrozenSet<string> Load(string name, StringComparer comparer)
    {
        Assembly assembly = typeof(StopWordLists).Assembly;
        string resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith(".StopWords." + name, StringComparison.Ordinal));
        using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
        var words = new List<string>();
        while (reader.ReadLine() is { } line)
            if (line.Trim() is { Length: > 0 } word) words.Add(word);
        return words.ToFrozenSet(comparer);
    }
}
