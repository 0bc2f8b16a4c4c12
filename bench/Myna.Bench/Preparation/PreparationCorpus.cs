using System.Text;
using System.Text.Json;
using Myna.Bench.Tokenization;

namespace Myna.Bench.Preparation;

/// <summary>
/// The fixed corpus of the data-preparation benchmarks: the tokenizer benchmark's generated text as JSONL documents,
/// with the things preparation exists for mixed in at fixed rates — exact duplicates (5%), near duplicates (5%, one
/// word changed), e-mail addresses and phone numbers (one document in ten) — so dedup and redaction do real work.
/// </summary>
public static class PreparationCorpus
{
    /// <summary>Writes about <paramref name="bytes"/> of JSONL into <paramref name="directory"/>; returns the file.</summary>
    public static string Write(string directory, long bytes, int seed = 1234)
    {
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, "corpus.jsonl");
        var random = new Random(seed);
        IReadOnlyList<string> documents = BenchmarkCorpus.Generate(bytes, seed);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        for (int i = 0; i < documents.Count; i++)
        {
            string text = documents[i];
            int roll = random.Next(100);
            if (roll < 5 && i > 0) text = documents[random.Next(i)];
            else if (roll < 10 && i > 0) text = documents[random.Next(i)].Replace(" the ", " a ", StringComparison.Ordinal);
            if (random.Next(10) == 0) text += $" Contact me at user{i}@example.com or +1 415 555 {1000 + i % 9000:D4}.";
            writer.WriteLine(JsonSerializer.Serialize(new { text }));
        }
        return path;
    }
}
