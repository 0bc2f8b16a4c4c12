using System.Text;

namespace Myna.Bench.Tokenization;

/// <summary>
/// A fixed, generated corpus for tokenizer benchmarks: the same bytes on every machine for a given seed and size.
/// Mostly English prose with punctuation, contractions, numbers and line breaks, plus Chinese passages and emoji,
/// in roughly the mix a web-text corpus has, so that no single code path of the pre-tokenizer dominates.
/// </summary>
public static class BenchmarkCorpus
{
    private static readonly string[] Words =
    [
        "the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "as", "was", "with", "be", "by", "on", "not",
        "he", "this", "are", "or", "his", "from", "at", "which", "but", "have", "an", "had", "they", "you", "were",
        "their", "one", "all", "we", "can", "her", "has", "there", "been", "if", "more", "when", "will", "would",
        "who", "so", "no", "model", "training", "language", "product", "manager", "customer", "service", "data",
        "tokenizer", "performance", "evaluation", "translation", "recommendation", "throughput", "latency", "memory",
        "unbelievably", "internationalization", "responsibility", "generation", "perplexity", "Transformer",
        "London", "Beijing", "Monday", "December", "GPT", "API", "HTTP", "JSON", "dotnet",
    ];

    private static readonly string[] Contractions = ["don't", "it's", "we'll", "they're", "I'm", "you've", "he'd"];

    private static readonly string[] Chinese =
    [
        "床前明月光，疑是地上霜。", "举头望明月，低头思故乡。", "今天天气很好，我们去公园散步吧。",
        "机器学习模型需要大量的训练数据。", "客户服务助手可以回答常见问题。", "白日依山尽，黄河入海流。",
    ];

    private static readonly string[] Emoji = ["👋", "🌍", "🚀", "😀", "✅"];

    /// <summary>Documents of about 4 KB totalling at least <paramref name="bytes"/> UTF-8 bytes.</summary>
    public static IReadOnlyList<string> Generate(long bytes, int seed = 1234)
    {
        var random = new Random(seed);
        var documents = new List<string>();
        long total = 0;
        var text = new StringBuilder();
        while (total < bytes)
        {
            text.Clear();
            while (text.Length < 4000)
            {
                int kind = random.Next(100);
                if (kind < 8) text.Append(Chinese[random.Next(Chinese.Length)]);
                else if (kind < 10) text.Append(' ').Append(Emoji[random.Next(Emoji.Length)]);
                else AppendSentence(text, random);
                if (random.Next(6) == 0) text.Append('\n');
                if (random.Next(25) == 0) text.Append("\n\n");
            }
            string document = text.ToString();
            documents.Add(document);
            total += Encoding.UTF8.GetByteCount(document);
        }
        return documents;
    }

    private static void AppendSentence(StringBuilder text, Random random)
    {
        int length = 5 + random.Next(15);
        for (int i = 0; i < length; i++)
        {
            if (text.Length > 0 && text[^1] != '\n') text.Append(' ');
            int kind = random.Next(100);
            string word = kind switch
            {
                < 4 => Contractions[random.Next(Contractions.Length)],
                < 8 => random.Next(100_000).ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => Words[random.Next(Words.Length)],
            };
            if (i == 0) word = char.ToUpperInvariant(word[0]) + word[1..];
            text.Append(word);
            if (random.Next(12) == 0) text.Append(',');
        }
        text.Append(random.Next(10) == 0 ? '?' : '.');
    }
}
