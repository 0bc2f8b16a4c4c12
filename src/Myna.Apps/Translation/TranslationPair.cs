namespace Myna.Apps.Translation;

/// <summary>One aligned English → Chinese pair.</summary>
/// <param name="Id">The pair's id in its file (<c>ch01/0</c>, <c>acc/3</c>).</param>
/// <param name="Source">The English text.</param>
/// <param name="Target">The Simplified Chinese text.</param>
/// <param name="Origin">The set it comes from (<see cref="TranslationData.Reference"/>, <see cref="TranslationData.Faq"/>,
/// <see cref="TranslationData.LibreOffice"/>).</param>
public sealed record TranslationPair(string Id, string Source, string Target, string Origin)
{
    /// <summary>English words: runs of non-space characters, the unit the split rules count.</summary>
    public int SourceWords => CountWords(Source);

    /// <summary>Runs of non-space characters in <paramref name="text"/>.</summary>
    public static int CountWords(string text)
    {
        int words = 0;
        bool inWord = false;
        foreach (char c in text)
        {
            bool space = char.IsWhiteSpace(c);
            if (!space && !inWord) words++;
            inWord = !space;
        }
        return words;
    }
}
