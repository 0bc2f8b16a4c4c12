using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json;
using Myna.Evaluation.Rouge;
using Spectre.Console;

namespace Myna.Cli.Commands.Eval;

/// <summary><c>myna eval rouge</c>: ROUGE per line pair and on average, exactly as rouge-score computes it.</summary>
internal static class EvalRougeCommand
{
    // The library's defaults are the only ones: the command shows them, never restates them.
    private static readonly RougeOptions Defaults = new();

    // The two characters backslash and 'n' inside a line separate sentences (for rougeLsum).
    private const string SentenceSeparator = "\\n";

    public static Command Create()
    {
        var hyp = new Option<FileInfo>("--hyp") { Description = "Predictions (system summaries): UTF-8, one per line.", Required = true, HelpName = "FILE" };
        var reference = new Option<FileInfo>("--ref") { Description = "Targets (reference summaries), one per line aligned with --hyp.", Required = true, HelpName = "FILE" };
        var types = new Option<string[]>("--types")
        {
            Description = $"Comma-separated ROUGE types: rouge1..rouge9, rougeL, rougeLsum. [default: {string.Join(',', Defaults.Types)}]",
            HelpName = "TYPES",
            CustomParser = ParseTypes,
        };
        var stemmer = new Option<bool>("--stemmer") { Description = "Stem words longer than 3 characters with NLTK's Porter stemmer (rouge-score's use_stemmer)." };
        var tokenize = new Option<string>("--tokenize")
        {
            Description = "default: rouge-score's tokenizer (lowercase, a-z and 0-9 only). zh: our extension, each CJK character (Han, kana, Hangul) is a token, the rest as default.",
            DefaultValueFactory = _ => Defaults.Tokenize,
        };
        tokenize.OneOf(RougeOptions.Tokenizations);
        var bootstrap = new Option<int?>("--bootstrap")
        {
            Description = $"Add 95% bootstrap confidence intervals as rouge-score's BootstrapAggregator, with N resamples (default {BootstrapAggregator.DefaultSamples}).",
            Arity = ArgumentArity.ZeroOrOne,
            HelpName = "N",
            CustomParser = ParseBootstrap,
        };
        var seed = new Option<uint>("--seed")
        {
            Description = "Seed of the bootstrap's generator; the draws equal rouge-score's after numpy.random.seed(SEED).",
            HelpName = "SEED",
            DefaultValueFactory = _ => 0,
        };
        var json = new Option<bool>("--json")
        {
            Description = "Print one JSON object: {\"per_line\":[{\"rouge1\":{\"precision\",\"recall\",\"fmeasure\"},...}],\"mean\":{...}} " +
                "and with --bootstrap \"bootstrap\":{\"samples\",\"seed\",\"confidence\",\"scores\":{\"rouge1\":{\"low\",\"mid\",\"high\"},...}}.",
        };

        var command = new Command("rouge",
            "ROUGE of predictions against targets, line by line, exactly as Google's rouge-score RougeScorer.score(target, prediction), " +
            "and the mean over lines. rouge1/rouge2: n-gram overlap; rougeL: longest common subsequence; rougeLsum: summary-level LCS " +
            "over sentences, which are separated by the two characters \\n inside a line.\n\n" +
            "Examples:\n" +
            "  myna eval rouge --hyp summaries.txt --ref references.txt\n" +
            "  myna eval rouge --hyp summaries.txt --ref references.txt --types rouge1,rougeLsum --stemmer --json\n" +
            "  myna eval rouge --hyp summaries.txt --ref references.txt --bootstrap 1000 --seed 42\n" +
            "  myna eval rouge --hyp zh_out.txt --ref zh_ref.txt --tokenize zh")
        {
            hyp, reference, types, stemmer, tokenize, bootstrap, seed, json,
        };

        command.SetAction(parsed =>
        {
            TextWriter output = parsed.InvocationConfiguration.Output;
            FileInfo hypFile = parsed.GetValue(hyp)!, refFile = parsed.GetValue(reference)!;
            string[] predictions = EvalFiles.ReadLines(hypFile, "--hyp");
            string[] targets = EvalFiles.ReadLines(refFile, "--ref");
            EvalFiles.RequireSameLength(predictions, hypFile, targets, refFile);

            var scorer = new RougeScorer(Defaults with
            {
                Types = parsed.GetResult(types) is null ? Defaults.Types : parsed.GetValue(types)!,
                UseStemmer = parsed.GetValue(stemmer),
                Tokenize = parsed.GetValue(tokenize)!,
            });
            IReadOnlyList<string> typeList = scorer.Options.Types;
            var perLine = new IReadOnlyDictionary<string, RougeScore>[predictions.Length];
            for (int i = 0; i < predictions.Length; i++)
                perLine[i] = scorer.Score(Sentences(targets[i]), Sentences(predictions[i]));
            Dictionary<string, RougeScore> mean = typeList.ToDictionary(t => t, t => Mean(perLine, t));

            BootstrapAggregator? aggregator = parsed.GetResult(bootstrap) is null
                ? null
                : new BootstrapAggregator(parsed.GetValue(bootstrap) ?? BootstrapAggregator.DefaultSamples, seed: parsed.GetValue(seed));
            IReadOnlyDictionary<string, RougeInterval>? intervals = aggregator?.Aggregate(typeList, perLine);

            if (parsed.GetValue(json))
            {
                var result = new Dictionary<string, object>
                {
                    ["per_line"] = perLine.Select(line => typeList.ToDictionary(t => t, t => ToJson(line[t]))),
                    ["mean"] = typeList.ToDictionary(t => t, t => ToJson(mean[t])),
                };
                if (aggregator is not null && intervals is not null)
                {
                    result["bootstrap"] = new Dictionary<string, object>
                    {
                        ["samples"] = aggregator.Samples,
                        ["seed"] = aggregator.Seed,
                        ["confidence"] = aggregator.Confidence,
                        ["scores"] = typeList.ToDictionary(t => t, t => new Dictionary<string, object>
                        {
                            ["low"] = ToJson(intervals[t].Low),
                            ["mid"] = ToJson(intervals[t].Mid),
                            ["high"] = ToJson(intervals[t].High),
                        }),
                    };
                }
                output.WriteLine(JsonSerializer.Serialize(result));
            }
            else
            {
                WriteTable(output, scorer.Options, predictions.Length, mean, aggregator, intervals);
            }
            return MynaApp.Success;
        });
        return command;
    }

    private static string Sentences(string line) => line.Replace(SentenceSeparator, "\n", StringComparison.Ordinal);

    private static RougeScore Mean(IReadOnlyList<IReadOnlyDictionary<string, RougeScore>> perLine, string type)
    {
        double p = 0, r = 0, f = 0;
        foreach (IReadOnlyDictionary<string, RougeScore> line in perLine)
        {
            p += line[type].Precision;
            r += line[type].Recall;
            f += line[type].FMeasure;
        }
        return new RougeScore(p / perLine.Count, r / perLine.Count, f / perLine.Count);
    }

    private static Dictionary<string, double> ToJson(RougeScore s) =>
        new() { ["precision"] = s.Precision, ["recall"] = s.Recall, ["fmeasure"] = s.FMeasure };

    private static string[]? ParseTypes(ArgumentResult result)
    {
        string[] parts = [.. result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
        try
        {
            new RougeOptions { Types = parts }.Validate();
        }
        catch (ArgumentException ex)
        {
            result.AddError($"--types: {ex.Message}");
            return null;
        }
        return parts;
    }

    private const int MaxBootstrapSamples = 1_000_000;

    private static int? ParseBootstrap(ArgumentResult result)
    {
        if (result.Tokens.Count == 0) return BootstrapAggregator.DefaultSamples;
        string text = result.Tokens[0].Value;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int samples) || samples < 1)
        {
            result.AddError($"--bootstrap expects a positive whole number of resamples, not '{text}'");
            return null;
        }
        // rouge-score's aggregator keeps every resample's scores; the intervals settle long before a million resamples.
        if (samples > MaxBootstrapSamples)
        {
            result.AddError($"--bootstrap is at most {MaxBootstrapSamples:N0} resamples (rouge-score's default is {BootstrapAggregator.DefaultSamples:N0}); it is {samples:N0}");
            return null;
        }
        return samples;
    }

    private static string F(double value) => value.ToString("F4", CultureInfo.InvariantCulture);

    private static void WriteTable(TextWriter output, RougeOptions options, int lines, Dictionary<string, RougeScore> mean,
        BootstrapAggregator? aggregator, IReadOnlyDictionary<string, RougeInterval>? intervals)
    {
        IAnsiConsole console = Terminal.For(output);
        var table = new Table().Border(TableBorder.Rounded).Title($"ROUGE, mean of {lines} line pairs");
        table.AddColumn("type");
        table.AddColumn("precision", c => c.RightAligned());
        table.AddColumn("recall", c => c.RightAligned());
        table.AddColumn("F-measure", c => c.RightAligned());
        if (intervals is not null) table.AddColumn("F 95% interval (low - high)", c => c.RightAligned());
        foreach ((string type, RougeScore s) in mean)
        {
            var row = new List<string> { type, F(s.Precision), F(s.Recall), F(s.FMeasure) };
            if (intervals is not null) row.Add($"{F(intervals[type].Low.FMeasure)} - {F(intervals[type].High.FMeasure)}");
            table.AddRow([.. row]);
        }
        console.Write(table);
        string settings = $"types:{string.Join(',', options.Types)}|stemmer:{(options.UseStemmer ? "yes" : "no")}|tok:{options.Tokenize}";
        if (aggregator is not null) settings += $"|bootstrap:{aggregator.Samples}|seed:{aggregator.Seed}";
        output.WriteLine($"settings: {settings}");
        output.WriteLine("per-line scores: add --json");
    }
}
