using System.CommandLine;
using System.Text.Json;
using Myna.Bench.Preparation;
using Spectre.Console;

namespace Myna.Cli.Commands.Bench;

/// <summary><c>myna bench prepare</c> and <c>myna bench tokenizer-train</c>: data-preparation speed on a fixed 10 MB corpus.</summary>
internal static class BenchPrepareCommand
{
    /// <summary>The fixed corpus size: large enough for steady MB/s, small enough for a minute's run.</summary>
    private const int CorpusMegabytes = 10;

    public static Command CreatePrepare()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var repeats = new Option<int>("--repeats") { Description = "Runs per configuration; the best is kept (default 2).", DefaultValueFactory = _ => 2 };
        var command = new Command("prepare",
            $"myna prepare throughput (MB/s) on a fixed {CorpusMegabytes} MB JSONL corpus, without dedup and with near-dup removal + PII redaction.\n\n" +
            "Example:\n  myna bench prepare --json") { json, repeats };
        command.SetAction(parsed =>
        {
            using var work = new WorkFolder();
            string corpus = PreparationCorpus.Write(work.Path, CorpusMegabytes * 1_000_000L);
            IReadOnlyList<PreparationBenchmark.PrepareResult> results = PreparationBenchmark.Prepare(corpus, work.Path, Math.Max(1, parsed.GetValue(repeats)));
            TextWriter output = parsed.InvocationConfiguration.Output;
            if (parsed.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(new
                {
                    benchmark = "prepare",
                    corpus_bytes = results[0].InputBytes,
                    threads = Environment.ProcessorCount,
                    results = results.Select(r => new { configuration = r.Configuration, mb_per_s = Math.Round(r.MegabytesPerSecond, 2), seconds = Math.Round(r.BestSeconds, 3), documents = r.Documents, kept = r.Kept }),
                }));
                return MynaApp.Success;
            }
            var table = new Table().Border(TableBorder.Rounded).AddColumns("configuration", "MB/s", "seconds", "documents", "kept");
            foreach (var r in results) table.AddRow(r.Configuration, $"{r.MegabytesPerSecond:F2}", $"{r.BestSeconds:F2}", $"{r.Documents:N0}", $"{r.Kept:N0}");
            Terminal.For(output).Write(table);
            return MynaApp.Success;
        });
        return command;
    }

    public static Command CreateTokenizerTrain()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var vocab = new Option<int>("--vocab-size") { Description = "Vocabulary to train (default 8192).", DefaultValueFactory = _ => 8192 };
        var repeats = new Option<int>("--repeats") { Description = "Training runs; the best is kept (default 2).", DefaultValueFactory = _ => 2 };
        var command = new Command("tokenizer-train",
            $"Seconds to train a byte-level BPE vocabulary on a fixed {CorpusMegabytes} MB corpus, and encode MB/s of the result.\n\n" +
            "Example:\n  myna bench tokenizer-train --json") { json, vocab, repeats };
        command.SetAction(parsed =>
        {
            using var work = new WorkFolder();
            string corpus = PreparationCorpus.Write(work.Path, CorpusMegabytes * 1_000_000L);
            PreparationBenchmark.TokenizerTrainResult result = PreparationBenchmark.TrainTokenizer(corpus, work.Path, parsed.GetValue(vocab), Math.Max(1, parsed.GetValue(repeats)));
            TextWriter output = parsed.InvocationConfiguration.Output;
            if (parsed.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(new
                {
                    benchmark = "tokenizer-train",
                    corpus_bytes = result.InputBytes,
                    vocab_size = result.VocabSize,
                    train_seconds = Math.Round(result.TrainSeconds, 3),
                    encode_mb_per_s = Math.Round(result.EncodeMegabytesPerSecond, 2),
                    encode_tokens_per_s = Math.Round(result.EncodeTokensPerSecond),
                }));
                return MynaApp.Success;
            }
            output.WriteLine($"trained {result.VocabSize} tokens on {result.InputBytes / 1e6:F1} MB in {result.TrainSeconds:F2} s; encodes {result.EncodeMegabytesPerSecond:F1} MB/s ({result.EncodeTokensPerSecond:N0} tokens/s, 1 thread)");
            return MynaApp.Success;
        });
        return command;
    }

    /// <summary>A temporary folder removed at the end of the run.</summary>
    private sealed class WorkFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("myna-bench-").FullName;

        public void Dispose()
        {
            try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
        }
    }
}
