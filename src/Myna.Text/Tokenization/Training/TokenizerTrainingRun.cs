using System.Diagnostics;
using Myna.Text.Corpus;
using Myna.Text.Output;

namespace Myna.Text.Tokenization.Training;

/// <summary>Reads a corpus (any format <see cref="CorpusReader"/> reads; a prepared folder of part-*.jsonl is the usual
/// input), counts pre-tokens in parallel, trains byte-level BPE and saves the Hugging Face files.</summary>
public static class TokenizerTrainingRun
{
    /// <summary>Trains on <paramref name="inputs"/> and saves to <paramref name="outputDirectory"/>, which the run owns
    /// (<see cref="OutputFolder"/>: refused when not empty unless <paramref name="replaceOutput"/>, swapped in at the end).</summary>
    public static TokenizerTrainingSummary Run(IEnumerable<string> inputs, string outputDirectory, BpeTrainerOptions options,
        CorpusOptions? corpus = null, IProgress<CorpusProgress>? progress = null, bool replaceOutput = false)
    {
        string[] paths = [.. inputs];
        using OutputFolder output = OutputFolder.Begin(outputDirectory, paths, replaceOutput);
        long totalBytes = CorpusReader.TotalBytes(paths);
        var clock = Stopwatch.StartNew();
        var reader = new CorpusReader(corpus ?? new CorpusOptions());
        var skipped = new List<SkippedInput>();
        reader.Skipped += skipped.Add;
        long documents = 0;
        IEnumerable<string> texts = reader.Read(paths).Select(d =>
        {
            // The reader is enumerated under Parallel.ForEach's lock: one thread at a time.
            if (++documents % 1000 == 0) progress?.Report(new("counting words", reader.BytesRead, totalBytes, documents));
            return d.Text;
        });
        Dictionary<string, long> words = new WordCounter(options.SpecialTokens).Count(texts, options.Threads);
        progress?.Report(new("counting words", reader.BytesRead, totalBytes, documents));
        if (documents == 0) throw EmptyCorpus.Refusal(paths, skipped.Count, skipped.FirstOrDefault());
        TrainedBpe trained = new BpeTrainer(options).Train(words, progress);
        trained.Save(output.Staging);
        output.Commit();
        return new TokenizerTrainingSummary(documents, words.Count, trained.VocabSize, trained.Merges.Count,
            Math.Round(clock.Elapsed.TotalSeconds, 3), skipped);
    }
}
