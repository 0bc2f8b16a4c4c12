using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Myna.Evaluation.Bleu;
using Spectre.Console;

namespace Myna.Cli.Commands.Eval;

/// <summary><c>myna eval bleu</c>: corpus or sentence BLEU exactly as sacreBLEU computes it.</summary>
internal static class EvalBleuCommand
{
    // The library's defaults are the only ones: the command shows them, never restates them.
    private static readonly BleuOptions Defaults = new();

    public static Command Create()
    {
        var hyp = new Option<FileInfo>("--hyp") { Description = "Hypotheses (system output): UTF-8, one segment per line.", Required = true, HelpName = "FILE" };
        var refs = new Option<FileInfo[]>("--ref")
        {
            Description = "References, one segment per line aligned with --hyp; repeat --ref for several reference sets.",
            Required = true,
            HelpName = "FILE",
        };
        var tokenize = new Option<string>("--tokenize")
        {
            Description = "sacreBLEU tokenizer: 13a (WMT's mteval-v13a), intl (Unicode punctuation and symbols), zh (Chinese characters), char, none.",
            DefaultValueFactory = _ => Defaults.Tokenize,
        };
        tokenize.OneOf(BleuTokenizer.Names);
        var lowercase = new Option<bool>("--lowercase", "-lc") { Description = "Case-insensitive BLEU (lowercase everything first)." };
        var smooth = new Option<string>("--smooth")
        {
            Description = "Smoothing for n-gram orders without matches: exp (NIST mteval), floor, add-k, none.",
            DefaultValueFactory = _ => Defaults.Smoothing.Name(),
        };
        smooth.OneOf(BleuSmoothingNames.Names);
        var smoothValue = new Option<double?>("--smooth-value")
        {
            Description = "Value for floor (default 0.1) or add-k (default 1).",
            CustomParser = ParseSmoothValue,
            HelpName = "V",
        };
        var effectiveOrder = new Option<bool?>("--effective-order")
        {
            Description = "Leave out n-gram orders the text is too short to have. Off for corpus BLEU, on with --sentence (--effective-order false turns it off).",
        };
        const int MaxNgramOrderLimit = 100;
        var maxOrder = new Option<int>("--max-ngram-order")
        {
            Description = "Highest n-gram order.",
            DefaultValueFactory = _ => Defaults.MaxNgramOrder,
            HelpName = "N",
        };
        maxOrder.Validators.Add(r =>
        {
            // Orders beyond a sentence's length score nothing and each costs a pass over every line; 100 is far past any use.
            int order = r.GetValueOrDefault<int>();
            if (order is < 1 or > MaxNgramOrderLimit) r.AddError($"--max-ngram-order must be 1 to {MaxNgramOrderLimit} (sacreBLEU's default is 4); it is {order}");
        });
        var sentence = new Option<bool>("--sentence") { Description = "Score every line on its own (sacreBLEU's sentence_bleu) as well as the corpus." };
        var json = new Option<bool>("--json")
        {
            Description = "Print one JSON object. Corpus: {\"score\",\"counts\",\"totals\",\"precisions\",\"bp\",\"sys_len\",\"ref_len\",\"signature\"}. " +
                "With --sentence: {\"signature\",\"sentences\":[{per line, same fields without signature}],\"corpus\":{corpus object}}.",
        };

        var command = new Command("bleu",
            $"BLEU of a system output against one or more references, exactly as sacreBLEU {BleuScorer.SacreBleuVersion} computes it " +
            "(corpus_bleu; sentence_bleu with --sentence). Scores are on sacreBLEU's 0-100 scale; precisions are percentages. " +
            "The signature line records the settings, as sacreBLEU's does.\n\n" +
            "Counts and totals are the n-gram statistics as counted (with add-k smoothing sacreBLEU's own BLEUScore shows them with k added).\n" +
            "With --sentence, each line is scored with effective order on (as sentence_bleu) and the corpus object uses " +
            "effective order only when --effective-order is given.\n\n" +
            "Examples:\n" +
            "  myna eval bleu --hyp hyp.txt --ref ref.txt\n" +
            "  myna eval bleu --hyp hyp.txt --ref ref1.txt --ref ref2.txt --json\n" +
            "  myna eval bleu --hyp hyp.zh.txt --ref ref.zh.txt --tokenize zh\n" +
            "  myna eval bleu --hyp hyp.txt --ref ref.txt --sentence --smooth floor --smooth-value 0.1 --json")
        {
            hyp, refs, tokenize, lowercase, smooth, smoothValue, effectiveOrder, maxOrder, sentence, json,
        };

        command.SetAction(parsed =>
        {
            TextWriter output = parsed.InvocationConfiguration.Output;
            FileInfo hypFile = parsed.GetValue(hyp)!;
            FileInfo[] refFiles = parsed.GetValue(refs)!;
            string[] hypotheses = EvalFiles.ReadLines(hypFile, "--hyp");
            var streams = new List<IReadOnlyList<string>>();
            foreach (FileInfo refFile in refFiles)
            {
                string[] lines = EvalFiles.ReadLines(refFile, "--ref");
                EvalFiles.RequireSameLength(hypotheses, hypFile, lines, refFile);
                streams.Add(lines);
            }

            bool sentenceMode = parsed.GetValue(sentence);
            bool? effective = parsed.GetValue(effectiveOrder);
            BleuOptions options = Defaults with
            {
                Tokenize = parsed.GetValue(tokenize)!,
                Lowercase = parsed.GetValue(lowercase),
                Smoothing = BleuSmoothingNames.Parse(parsed.GetValue(smooth)!),
                SmoothValue = parsed.GetValue(smoothValue),
                MaxNgramOrder = parsed.GetValue(maxOrder),
                EffectiveOrder = effective ?? Defaults.EffectiveOrder,
            };
            var corpusScorer = new BleuScorer(options);
            IReadOnlyList<BleuStatistics> stats = corpusScorer.CorpusStatistics(hypotheses, streams);
            BleuScore corpus = corpusScorer.Compute(corpusScorer.Sum(stats));
            string corpusSignature = corpusScorer.Signature(streams.Count);

            if (!sentenceMode)
            {
                if (parsed.GetValue(json))
                    output.WriteLine(JsonSerializer.Serialize(ToJson(corpus, corpusSignature)));
                else
                    WriteCorpus(output, corpus, corpusSignature);
                return MynaApp.Success;
            }

            // Sentence BLEU reuses each line's statistics with sentence_bleu's effective order.
            var sentenceScorer = new BleuScorer(options with { EffectiveOrder = effective ?? BleuOptions.SentenceDefaults.EffectiveOrder });
            BleuScore[] sentences = [.. stats.Select(sentenceScorer.Compute)];
            string sentenceSignature = sentenceScorer.Signature(streams.Count);
            if (parsed.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(new
                {
                    signature = sentenceSignature,
                    sentences = sentences.Select(s => ToJson(s, null)),
                    corpus = ToJson(corpus, corpusSignature),
                }));
            }
            else
            {
                WriteSentences(output, sentences, sentenceSignature, corpus, corpusSignature);
            }
            return MynaApp.Success;
        });
        return command;
    }

    private static double? ParseSmoothValue(System.CommandLine.Parsing.ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value) && value >= 0)
            return value;
        result.AddError($"--smooth-value expects a non-negative number such as 0.1, not '{text}'");
        return null;
    }

    private static Dictionary<string, object> ToJson(BleuScore score, string? signature)
    {
        var result = new Dictionary<string, object>
        {
            ["score"] = score.Score,
            ["counts"] = score.Counts,
            ["totals"] = score.Totals,
            ["precisions"] = score.Precisions,
            ["bp"] = score.BrevityPenalty,
            ["sys_len"] = score.SysLen,
            ["ref_len"] = score.RefLen,
        };
        if (signature is not null) result["signature"] = signature;
        return result;
    }

    private static string F(double value, int digits) => value.ToString("F" + digits, CultureInfo.InvariantCulture);

    // sacreBLEU's one-line summary: "BLEU = 48.53 82.4/.../... (BP = 1.000 ratio = 1.000 hyp_len = 17 ref_len = 17)".
    private static string Verbose(BleuScore s) =>
        $"BLEU = {F(s.Score, 2)} {string.Join('/', s.Precisions.Select(p => F(p, 1)))} " +
        $"(BP = {F(s.BrevityPenalty, 3)} ratio = {F(s.Ratio, 3)} hyp_len = {s.SysLen} ref_len = {s.RefLen})";

    private static void WriteCorpus(TextWriter output, BleuScore score, string signature)
    {
        IAnsiConsole console = Terminal.For(output);
        var table = new Table().Border(TableBorder.Rounded).Title($"BLEU = {F(score.Score, 2)}");
        table.AddColumn("n", c => c.RightAligned());
        table.AddColumn("matches", c => c.RightAligned());
        table.AddColumn("n-grams", c => c.RightAligned());
        table.AddColumn("precision %", c => c.RightAligned());
        for (int n = 0; n < score.Precisions.Length; n++)
            table.AddRow((n + 1).ToString(CultureInfo.InvariantCulture), score.Counts[n].ToString(CultureInfo.InvariantCulture),
                score.Totals[n].ToString(CultureInfo.InvariantCulture), F(score.Precisions[n], 2));
        console.Write(table);
        // Plain writes: these lines are meant to be copied whole, never wrapped to the console width.
        output.WriteLine(Verbose(score));
        output.WriteLine($"signature: {signature}");
    }

    private static void WriteSentences(TextWriter output, BleuScore[] sentences, string signature, BleuScore corpus, string corpusSignature)
    {
        IAnsiConsole console = Terminal.For(output);
        var table = new Table().Border(TableBorder.Rounded).Title($"sentence BLEU, {sentences.Length} lines");
        table.AddColumn("line", c => c.RightAligned());
        table.AddColumn("BLEU", c => c.RightAligned());
        table.AddColumn("precisions %");
        table.AddColumn("BP", c => c.RightAligned());
        table.AddColumn("hyp_len", c => c.RightAligned());
        table.AddColumn("ref_len", c => c.RightAligned());
        for (int i = 0; i < sentences.Length; i++)
        {
            BleuScore s = sentences[i];
            table.AddRow((i + 1).ToString(CultureInfo.InvariantCulture), F(s.Score, 2), string.Join('/', s.Precisions.Select(p => F(p, 1))),
                F(s.BrevityPenalty, 3), s.SysLen.ToString(CultureInfo.InvariantCulture), s.RefLen.ToString(CultureInfo.InvariantCulture));
        }
        console.Write(table);
        output.WriteLine($"signature: {signature}");
        output.WriteLine($"corpus {Verbose(corpus)}");
        output.WriteLine($"corpus signature: {corpusSignature}");
    }
}
