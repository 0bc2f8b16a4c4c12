using System.Diagnostics;
using System.Text;
using Myna.Text.Tokenization;

namespace Myna.Bench.Tokenization;

/// <summary>Encode throughput of a tokenizer on a fixed corpus, on one thread and on all cores.</summary>
public static class TokenizerBenchmark
{
    /// <summary>One measurement: best of the repeats, in UTF-8 megabytes (10^6 bytes) and tokens per second.</summary>
    public sealed record Result(int Threads, double MegabytesPerSecond, double TokensPerSecond, double BestSeconds);

    /// <summary>All measurements of one run.</summary>
    public sealed record Report(string Tokenizer, string Corpus, long CorpusBytes, long CorpusTokens, int Repeats, IReadOnlyList<Result> Results);

    /// <summary>Encodes every document <paramref name="repeats"/> times per thread count, after one warm-up pass.</summary>
    public static Report Run(GptTokenizer tokenizer, IReadOnlyList<string> documents, string corpusName, IEnumerable<int> threadCounts, int repeats)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        long bytes = documents.Sum(d => (long)Encoding.UTF8.GetByteCount(d));
        long tokens = EncodeAll(tokenizer, documents, 1);

        var results = new List<Result>();
        foreach (int threads in threadCounts.Distinct())
        {
            EncodeAll(tokenizer, documents, threads);
            double best = double.MaxValue;
            for (int r = 0; r < repeats; r++)
            {
                long start = Stopwatch.GetTimestamp();
                EncodeAll(tokenizer, documents, threads);
                best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
            }
            results.Add(new Result(threads, bytes / 1e6 / best, tokens / best, best));
        }
        return new Report(tokenizer.Name, corpusName, bytes, tokens, repeats, results);
    }

    private static long EncodeAll(GptTokenizer tokenizer, IReadOnlyList<string> documents, int threads)
    {
        if (threads == 1)
        {
            long count = 0;
            foreach (string document in documents) count += tokenizer.Encode(document).Length;
            return count;
        }
        long total = 0;
        Parallel.ForEach(
            System.Collections.Concurrent.Partitioner.Create(0, documents.Count, Math.Max(1, documents.Count / (threads * 8))),
            new ParallelOptions { MaxDegreeOfParallelism = threads },
            range =>
            {
                long count = 0;
                for (int i = range.Item1; i < range.Item2; i++) count += tokenizer.Encode(documents[i]).Length;
                Interlocked.Add(ref total, count);
            });
        return total;
    }
}
