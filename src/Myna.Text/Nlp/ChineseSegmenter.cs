using JiebaNet.Segmenter;
using Myna.Text.Nlp.StopWords;

namespace Myna.Text.Nlp;

/// <summary>Chinese word segmentation with jieba.NET (precise mode, HMM for unknown words). Its dictionaries ship in the
/// package's Resources folder; the build copies them to <c>jieba/</c> beside the assembly, and this type points jieba at
/// them before first use.</summary>
public sealed class ChineseSegmenter
{
    private static readonly Lazy<JiebaSegmenter> Shared = new(() =>
    {
        string directory = Path.Combine(AppContext.BaseDirectory, "jieba");
        if (!File.Exists(Path.Combine(directory, "dict.txt")))
            throw new FileNotFoundException($"jieba dictionaries not found in '{directory}': the build copies them from the jieba.NET package.");
        ConfigManager.ConfigFileBaseDir = directory;
        return new JiebaSegmenter();
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly Lock Gate = new();
    private readonly bool _removeStopWords;

    /// <summary>Creates a segmenter; with <paramref name="removeStopWords"/>, Chinese and English stop words and
    /// white space / punctuation tokens are left out.</summary>
    public ChineseSegmenter(bool removeStopWords = false) => _removeStopWords = removeStopWords;

    /// <summary>Segments <paramref name="text"/> into words (Latin words and numbers stay whole).</summary>
    public List<string> Segment(string text)
    {
        IEnumerable<string> words;
        lock (Gate) words = Shared.Value.Cut(text, cutAll: false, hmm: true).ToList(); // jieba's tables are not thread-safe
        var result = new List<string>();
        foreach (string word in words)
        {
            string w = word.Trim();
            if (w.Length == 0) continue;
            if (_removeStopWords && (!w.Any(char.IsLetterOrDigit) || StopWordLists.IsStopWord(w))) continue;
            result.Add(w);
        }
        return result;
    }
}
