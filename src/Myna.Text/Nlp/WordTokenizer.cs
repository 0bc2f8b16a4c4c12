using Myna.Text.Cleaning;

namespace Myna.Text.Nlp;

/// <summary>Language-aware word tokenisation: jieba for text with Chinese in it, the English tokenizer otherwise.
/// What retrieval (BM25) and keyword extraction index.</summary>
public sealed class WordTokenizer(bool stemEnglish = false, bool removeStopWords = true)
{
    private readonly EnglishTokenizer _english = new(stemEnglish, removeStopWords);
    private readonly ChineseSegmenter _chinese = new(removeStopWords);

    /// <summary>The words of <paramref name="text"/>; Latin words in Chinese text are lower-cased (and stemmed if asked).</summary>
    public List<string> Tokenize(string text)
    {
        if (!text.Any(LanguageId.IsHan)) return _english.Tokenize(text);
        var words = new List<string>();
        foreach (string word in _chinese.Segment(text))
        {
            if (word.Any(LanguageId.IsHan)) words.Add(word);
            else words.AddRange(_english.Tokenize(word));
        }
        return words;
    }
}
