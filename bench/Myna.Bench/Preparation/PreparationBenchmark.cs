using System.Diagnostics;
using Myna.Bench.Tokenization;
using Myna.Text.Dedup;
using Myna.Text.Preparation;
using Myna.Text.Tokenization;
using Myna.Text.Tokenization.Training;

namespace Myna.Bench.Preparation;

/// <summary>Speed of `myna prepare` and `myna tokenizer train` on the fixed corpus.</summary>
public static class PreparationBenchmark
{
    /// <summary>One prepare configuration's best run.</summary>
    public sealed record PrepareResult(string Configuration, long InputBytes, long Documents, long Kept, double BestSeconds)
    {
        /// <summary>Input megabytes (10^6 bytes) per second.</summary>
        public double MegabytesPerSecond => InputBytes / 1e6 / BestSeconds;
    }

    /// <summary>Prepare without dedup or redaction, then with near-duplicate removal and PII redaction; best of <paramref name="repeats"/>.</summary>
    public static IReadOnlyList<PrepareResult> Prepare(string corpus, string workDirectory, int repeats)
    {
        var results = new List<PrepareResult>();
        foreach ((string name, DedupMode dedup, bool redact) in new[] { ("no dedup", DedupMode.None, false), ("near dedup + PII redaction", DedupMode.Near, true) })
        {
            double best = double.MaxValue;
            PrepareReport? report = null;
            for (int r = 0; r < repeats; r++)
            {
                string output = Path.Combine(workDirectory, $"prepared-{r}");
                if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
                long start = Stopwatch.GetTimestamp();
                report = new CorpusPreparer(new PrepareOptions { Inputs = [corpus], OutputDirectory = output, Dedup = dedup, RedactPii = redact }).Run();
                best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
            }
            results.Add(new PrepareResult(name, new FileInfo(corpus).Length, report!.DocumentsRead, report.DocumentsKept, best));
        }
        return results;
    }

    /// <summary>Seconds to train a tokenizer and the trained tokenizer's encode speed.</summary>
    public sealed record TokenizerTrainResult(int VocabSize, long InputBytes, double TrainSeconds, double EncodeMegabytesPerSecond, double EncodeTokensPerSecond);

    /// <summary>Trains a <paramref name="vocabSize"/> vocabulary on the corpus (best of <paramref name="repeats"/>), then measures encoding with it.</summary>
    public static TokenizerTrainResult TrainTokenizer(string corpus, string workDirectory, int vocabSize, int repeats)
    {
        string output = Path.Combine(workDirectory, "tokenizer");
        double best = double.MaxValue;
        for (int r = 0; r < repeats; r++)
        {
            long start = Stopwatch.GetTimestamp();
            TokenizerTrainingRun.Run([corpus], output, new BpeTrainerOptions { VocabSize = vocabSize });
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        GptTokenizer trained = GptTokenizer.FromDirectory(output);
        IReadOnlyList<string> documents = BenchmarkCorpus.Generate(new FileInfo(corpus).Length / 4);
        TokenizerBenchmark.Result encode = TokenizerBenchmark.Run(trained, documents, "corpus", [1], repeats).Results[0];
        return new TokenizerTrainResult(vocabSize, new FileInfo(corpus).Length, best, encode.MegabytesPerSecond, encode.TokensPerSecond);
    }
}
