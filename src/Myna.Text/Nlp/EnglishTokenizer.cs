using System.Text.RegularExpressions;
using Lucene.Net.Tartarus.Snowball.Ext;
using Myna.Text.Nlp.StopWords;

namespace Myna.Text.Nlp;

/// <summary>English word tokenisation for retrieval and keyword features: words (with inner apostrophes and hyphens)
/// and numbers, lower-cased; optionally without stop words and Porter-stemmed (the Snowball implementation of
/// Porter's 1980 algorithm, from Lucene.Net.Analysis.Common).</summary>
public sealed partial class EnglishTokenizer(bool stem = false, bool removeStopWords = false)
{
    /// <summary>Splits <paramref name="text"/> into lower-case words.</summary>
    public List<string> Tokenize(string text)
    {
        var words = new List<string>();
        PorterStemmer? stemmer = stem ? new PorterStemmer() : null;
        for (Match m = Word().Match(text); m.Success; m = m.NextMatch())
        {
            string word = m.Value.ToLowerInvariant();
            if (removeStopWords && StopWordLists.English.Contains(word)) continue;
            if (stemmer is not null) word = Stem(stemmer, word);
            words.Add(word);
        }
        return words;
    }

    /// <summary>The Porter stem of one lower-case word ("running" → "run", "generalizations" → "gener").</summary>
    public static string Stem(string word) => Stem(new PorterStemmer(), word);

    private static string Stem(PorterStemmer stemmer, string word)
    {
        stemmer.SetCurrent(word);
        stemmer.Stem();
        return stemmer.Current;
    }

    [GeneratedRegex(@"[\p{L}\p{Mn}]+(?:['’\-][\p{L}\p{Mn}]+)*|\d+(?:[.,]\d+)*")]
    private static partial Regex Word();
}
