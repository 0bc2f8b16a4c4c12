using System.CommandLine;
using System.Text.Json;
using Myna.Bench.Tokenization;
using Myna.Text.Tokenization;
using Spectre.Console;

namespace Myna.Cli.Commands.Bench;

/// <summary><c>myna bench tokenize</c>: encode throughput (MB/s, tokens/s) on a fixed corpus.</summary>
internal static class BenchTokenizeCommand
{
    /// <summary>8 MB keeps a run under a minute on two cores while timing many documents.</summary>
    private const int DefaultCorpusMegabytes = 8;

    public static Command Create()
    {
        var tokenizer = new Option<string>("--tokenizer", "-t")
        {
            Description = "'gpt2' or a tokenizer directory.",
            DefaultValueFactory = _ => GptTokenizer.Gpt2Name,
        };
        var corpus = new Option<FileInfo>("--corpus") { Description = "A UTF-8 text file to encode instead of the generated corpus (one document per blank-line block)." };
        var sizeMb = new Option<int>("--size-mb")
        {
            Description = $"Size of the generated corpus in MB (default {DefaultCorpusMegabytes}).",
            DefaultValueFactory = _ => DefaultCorpusMegabytes,
        };
        var repeats = new Option<int>("--repeats") { Description = "Timed passes per thread count; the best is kept (default 3).", DefaultValueFactory = _ => 3 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        sizeMb.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 4096) r.AddError("--size-mb must be between 1 and 4096"); });
        repeats.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 100) r.AddError("--repeats must be between 1 and 100"); });

        var command = new Command("tokenize",
            "Tokenizer encode throughput on a fixed corpus, on one thread and on all cores.\n\n" +
            "Examples:\n  myna bench tokenize\n  myna bench tokenize --json\n  myna bench tokenize --corpus data/corpus/kjv.txt --tokenizer models/myna-default")
        {
            tokenizer, corpus, sizeMb, repeats, json,
        };
        command.SetAction(parsed =>
        {
            GptTokenizer tok = TokenizeCommand.LoadTokenizer(parsed.GetValue(tokenizer)!);
            (IReadOnlyList<string> documents, string corpusName) = parsed.GetValue(corpus) is { } file
                ? (ReadCorpus(file), file.FullName)
                : (BenchmarkCorpus.Generate(parsed.GetValue(sizeMb) * 1_000_000L), $"generated ({parsed.GetValue(sizeMb)} MB, seed 1234)");
            int[] threads = Environment.ProcessorCount > 1 ? [1, Environment.ProcessorCount] : [1];
            TokenizerBenchmark.Report report = TokenizerBenchmark.Run(tok, documents, corpusName, threads, parsed.GetValue(repeats));
            Write(parsed.InvocationConfiguration.Output, report, parsed.GetValue(json));
            return MynaApp.Success;
        });
        return command;
    }

    private static IReadOnlyList<string> ReadCorpus(FileInfo file)
    {
        if (!file.Exists) throw new CliException($"corpus file '{file}' does not exist.");
        string text = Utf8Text.Decode(File.ReadAllBytes(file.FullName), replaceInvalid: false, file.ToString());
        return text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
    }

    private static void Write(TextWriter output, TokenizerBenchmark.Report report, bool json)
    {
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new
            {
                benchmark = "tokenize",
                tokenizer = report.Tokenizer,
                corpus = report.Corpus,
                corpus_bytes = report.CorpusBytes,
                corpus_tokens = report.CorpusTokens,
                repeats = report.Repeats,
                results = report.Results.Select(r => new
                {
                    threads = r.Threads,
                    mb_per_s = Math.Round(r.MegabytesPerSecond, 2),
                    tokens_per_s = Math.Round(r.TokensPerSecond),
                    best_seconds = Math.Round(r.BestSeconds, 4),
                }),
            }));
            return;
        }
        IAnsiConsole console = Terminal.For(output);
        console.MarkupLine($"Tokenizer [bold]{Markup.Escape(report.Tokenizer)}[/] on {Markup.Escape(report.Corpus)}: " +
                           $"{report.CorpusBytes / 1e6:F1} MB → {report.CorpusTokens:N0} tokens ({(double)report.CorpusBytes / report.CorpusTokens:F2} bytes/token)");
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("threads", c => c.RightAligned());
        table.AddColumn("MB/s", c => c.RightAligned());
        table.AddColumn("tokens/s", c => c.RightAligned());
        table.AddColumn("best pass (s)", c => c.RightAligned());
        foreach (TokenizerBenchmark.Result r in report.Results)
            table.AddRow(r.Threads.ToString(), r.MegabytesPerSecond.ToString("F1"), r.TokensPerSecond.ToString("N0"), r.BestSeconds.ToString("F3"));
        console.Write(table);
    }
}
