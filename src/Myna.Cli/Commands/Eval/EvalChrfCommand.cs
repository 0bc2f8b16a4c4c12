using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Myna.Evaluation;
using Myna.Evaluation.Chrf;
using Spectre.Console;

namespace Myna.Cli.Commands.Eval;

/// <summary><c>myna eval chrf</c>: corpus or sentence chrF / chrF++ exactly as sacreBLEU computes it.</summary>
internal static class EvalChrfCommand
{
    // The library's defaults are the only ones: the command shows them, never restates them.
    private static readonly ChrfOptions Defaults = new();

    // Orders beyond a sentence's length count nothing and each costs a pass over every line; 100 is far past any use.
    private const int OrderLimit = 100;

    // Names such as chrF2++ and file names print as they are, not as \u escapes.
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var hyp = new Option<FileInfo>("--hyp") { Description = "Hypotheses (system output): UTF-8, one segment per line.", Required = true, HelpName = "FILE" };
        var refs = new Option<FileInfo[]>("--ref")
        {
            Description = "References, one segment per line aligned with --hyp; repeat --ref for several reference sets (each line is scored against the one that fits it best).",
            Required = true,
            HelpName = "FILE",
        };
        var wordOrder = Order("--word-order", "Word n-gram order: 0 is chrF, 2 is chrF++.", Defaults.WordOrder, minimum: 0);
        var charOrder = Order("--char-order", "Character n-gram order.", Defaults.CharOrder, minimum: 1);
        var beta = Order("--beta", "Weight of recall against precision (chrF2: recall counts twice).", Defaults.Beta, minimum: 0);
        var lowercase = new Option<bool>("--lowercase", "-lc") { Description = "Case-insensitive chrF (lowercase everything first)." };
        var whitespace = new Option<bool>("--whitespace") { Description = "Keep white space inside character n-grams (sacreBLEU's --chrf-whitespace)." };
        var epsSmoothing = new Option<bool>("--eps-smoothing")
        {
            Description = "Average per-order F-scores with chrF++.py's epsilon for empty orders, instead of sacreBLEU 2's effective-order average.",
        };
        var sentence = new Option<bool>("--sentence") { Description = "Score every line on its own (sacreBLEU's sentence_chrf) as well as the corpus." };
        var json = new Option<bool>("--json")
        {
            Description = "Print one JSON object. Corpus: {\"name\",\"score\",\"statistics\",\"signature\"}, statistics as sacreBLEU's " +
                "[hyp, ref, match] per order (character orders, then word orders). With --sentence: {\"signature\",\"sentences\":[{\"score\",\"statistics\"}],\"corpus\":{corpus object}}.",
        };

        var command = new Command("chrf",
            $"chrF (character n-gram F-score) or chrF++ (with word n-grams) of a system output against one or more references, exactly as sacreBLEU " +
            $"{ChrfScorer.SacreBleuVersion} computes it (corpus_chrf; sentence_chrf with --sentence). Scores are on sacreBLEU's 0-100 scale. " +
            "Corpus chrF adds every line's n-gram counts, then computes one score. Lines are right-stripped as sacreBLEU's command reads them. " +
            "The signature line records the settings, as sacreBLEU's does.\n\n" +
            "Examples:\n" +
            "  myna eval chrf --hyp hyp.txt --ref ref.txt\n" +
            "  myna eval chrf --hyp hyp.txt --ref ref.txt --word-order 2          (chrF++)\n" +
            "  myna eval chrf --hyp hyp.zh.txt --ref ref1.zh.txt --ref ref2.zh.txt --json\n" +
            "  myna eval chrf --hyp hyp.txt --ref ref.txt --sentence --json")
        {
            hyp, refs, wordOrder, charOrder, beta, lowercase, whitespace, epsSmoothing, sentence, json,
        };

        command.SetAction(parsed =>
        {
            TextWriter output = parsed.InvocationConfiguration.Output;
            FileInfo hypFile = parsed.GetValue(hyp)!;
            string[] hypotheses = ReadStripped(hypFile, "--hyp");
            var streams = new List<IReadOnlyList<string>>();
            foreach (FileInfo refFile in parsed.GetValue(refs)!)
            {
                string[] lines = ReadStripped(refFile, "--ref");
                EvalFiles.RequireSameLength(hypotheses, hypFile, lines, refFile);
                streams.Add(lines);
            }

            var scorer = new ChrfScorer(Defaults with
            {
                WordOrder = parsed.GetValue(wordOrder),
                CharOrder = parsed.GetValue(charOrder),
                Beta = parsed.GetValue(beta),
                Lowercase = parsed.GetValue(lowercase),
                Whitespace = parsed.GetValue(whitespace),
                EpsSmoothing = parsed.GetValue(epsSmoothing),
            });
            IReadOnlyList<ChrfStatistics> stats = scorer.CorpusStatistics(hypotheses, streams);
            ChrfScore corpus = scorer.Compute(scorer.Sum(stats));
            string signature = scorer.Signature(streams.Count);
            bool asJson = parsed.GetValue(json);

            if (!parsed.GetValue(sentence))
            {
                if (asJson) output.WriteLine(JsonSerializer.Serialize(ToJson(corpus, signature), Json));
                else WriteCorpus(output, scorer, corpus, signature);
                return MynaApp.Success;
            }

            // sentence_chrf is the same computation on one line's statistics.
            ChrfScore[] sentences = [.. stats.Select(scorer.Compute)];
            if (asJson)
            {
                output.WriteLine(JsonSerializer.Serialize(new
                {
                    signature,
                    sentences = sentences.Select(s => new { score = s.Score, statistics = s.Statistics.Values }),
                    corpus = ToJson(corpus, signature),
                }, Json));
            }
            else
            {
                WriteSentences(output, sentences, corpus, signature);
            }
            return MynaApp.Success;
        });
        return command;
    }

    private static Option<int> Order(string name, string description, int defaultValue, int minimum)
    {
        // A parser rather than a validator: a value that is not a number gets the same one-line error.
        return new Option<int>(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            HelpName = "N",
            CustomParser = result =>
            {
                string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= minimum && value <= OrderLimit)
                    return value;
                result.AddError($"{name} must be a whole number from {minimum} to {OrderLimit} (sacreBLEU's default is {defaultValue}), not '{text}'");
                return defaultValue;
            },
        };
    }

    // sacreBLEU's command right-strips every line it reads (white space at the end, '\r' included).
    private static string[] ReadStripped(FileInfo file, string role) => [.. EvalFiles.ReadLines(file, role).Select(PythonText.RStrip)];

    private static Dictionary<string, object> ToJson(ChrfScore score, string signature) => new()
    {
        ["name"] = score.Name,
        ["score"] = score.Score,
        ["statistics"] = score.Statistics.Values,
        ["signature"] = signature,
    };

    private static string F(double value, int digits) => value.ToString("F" + digits, CultureInfo.InvariantCulture);

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static void WriteCorpus(TextWriter output, ChrfScorer scorer, ChrfScore score, string signature)
    {
        IAnsiConsole console = Terminal.For(output);
        var table = new Table().Border(TableBorder.Rounded).Title($"{score.Name} = {F(score.Score, 2)}");
        table.AddColumn("n-gram");
        table.AddColumn("hyp", c => c.RightAligned());
        table.AddColumn("ref", c => c.RightAligned());
        table.AddColumn("match", c => c.RightAligned());
        ChrfStatistics s = score.Statistics;
        for (int i = 0; i < s.Orders; i++)
        {
            int charOrder = scorer.Options.CharOrder;
            string label = i < charOrder ? $"char {i + 1}" : $"word {i - charOrder + 1}";
            table.AddRow(label, N(s.Hypothesis(i)), N(s.Reference(i)), N(s.Match(i)));
        }
        console.Write(table);
        // Plain writes: these lines are meant to be copied whole, never wrapped to the console width.
        output.WriteLine($"{score.Name} = {F(score.Score, 2)}");
        output.WriteLine($"signature: {signature}");
    }

    private static void WriteSentences(TextWriter output, ChrfScore[] sentences, ChrfScore corpus, string signature)
    {
        IAnsiConsole console = Terminal.For(output);
        var table = new Table().Border(TableBorder.Rounded).Title($"sentence {corpus.Name}, {sentences.Length} lines");
        table.AddColumn("line", c => c.RightAligned());
        table.AddColumn(corpus.Name, c => c.RightAligned());
        for (int i = 0; i < sentences.Length; i++) table.AddRow(N(i + 1), F(sentences[i].Score, 2));
        console.Write(table);
        output.WriteLine($"corpus {corpus.Name} = {F(corpus.Score, 2)}");
        output.WriteLine($"signature: {signature}");
    }
}
