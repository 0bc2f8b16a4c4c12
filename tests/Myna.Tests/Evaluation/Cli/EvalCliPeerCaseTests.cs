using System.Globalization;
using System.Text.Json;
using Myna.Tests.Cli;
using Myna.Tests.Evaluation.Bleu;
using Myna.Tests.Evaluation.Rouge;
using static Myna.Tests.Evaluation.EvaluationPeerCases;

namespace Myna.Tests.Evaluation.Cli;

/// <summary>The same peer cases through <c>myna eval bleu|rouge --json</c> with files, as scripts would run them.</summary>
public class EvalCliPeerCaseTests
{
    public static TheoryData<BleuCase> BleuCases() => [.. EvaluationPeerCases.BleuCases()];

    public static TheoryData<BleuTokenizerCase> TokenizerCases() => [.. BleuTokenizers()];

    public static TheoryData<RougeCase> RougeCases() => [.. EvaluationPeerCases.RougeCases()];

    [Theory]
    [MemberData(nameof(BleuCases))]
    public void BleuJsonMatchesSacreBleu(BleuCase c)
    {
        using var files = new TempFiles();
        var args = new List<string> { "eval", "bleu", "--hyp", files.Lines(c.Hyps), "--json" };
        foreach (string[] stream in c.Refs) args.AddRange(["--ref", files.Lines(stream)]);
        if (c.Tokenize is string tok) args.AddRange(["--tokenize", tok]);
        if (c.SmoothMethod is string smooth) args.AddRange(["--smooth", smooth]);
        if (c.SmoothValue is double value) args.AddRange(["--smooth-value", value.ToString("R", CultureInfo.InvariantCulture)]);
        if (c.Lowercase) args.Add("--lowercase");
        if (c.MaxNgramOrder is int order) args.AddRange(["--max-ngram-order", order.ToString(CultureInfo.InvariantCulture)]);
        // Sentence cases run as --sentence (effective order on by default); corpus cases pass it when asked.
        if (c.Level == "sentence") args.Add("--sentence");
        else if (c.EffectiveOrder == true) args.Add("--effective-order");

        CliRun run = CliRun.Of([.. args]);
        Assert.True(run.ExitCode == 0, run.Error);
        using JsonDocument json = JsonDocument.Parse(run.Output);
        JsonElement score = c.Level == "sentence" ? json.RootElement.GetProperty("sentences")[0] : json.RootElement;
        BleuPeerCaseTests.AssertExpected(c, score.GetProperty("score").GetDouble(),
            [.. score.GetProperty("counts").EnumerateArray().Select(x => x.GetInt64())],
            [.. score.GetProperty("totals").EnumerateArray().Select(x => x.GetInt64())]);
        Assert.StartsWith($"nrefs:{c.Refs.Length}|", json.RootElement.GetProperty("signature").GetString());
    }

    [Theory]
    [MemberData(nameof(TokenizerCases))]
    public void TokenizerCaseScoresOneHundredWithEveryToken(BleuTokenizerCase c)
    {
        using var files = new TempFiles();
        string text = files.Lines([c.Text]);
        CliRun run = CliRun.Of("eval", "bleu", "--hyp", text, "--ref", text, "--tokenize", c.Tokenize, "--json");
        Assert.True(run.ExitCode == 0, run.Error);
        using JsonDocument json = JsonDocument.Parse(run.Output);
        Assert.Equal(c.ExpectedTokens.Length, json.RootElement.GetProperty("sys_len").GetInt32());
        Assert.Equal(c.ExpectedTokens.Length, json.RootElement.GetProperty("ref_len").GetInt32());
        Assert.Equal(100, json.RootElement.GetProperty("score").GetDouble(), 10);
        Assert.Contains($"|tok:{c.Tokenize}|", json.RootElement.GetProperty("signature").GetString());
    }

    [Theory]
    [MemberData(nameof(RougeCases))]
    public void RougeJsonMatchesRougeScore(RougeCase c)
    {
        using var files = new TempFiles();
        // In the files a newline inside a summary is written as the two characters \n.
        string target = files.Lines(c.Targets.Select(Escape)), prediction = files.Lines(c.Predictions.Select(Escape));
        var args = new List<string> { "eval", "rouge", "--hyp", prediction, "--ref", target, "--types", string.Join(',', c.Types), "--json" };
        if (c.Stemmer) args.Add("--stemmer");

        CliRun run = CliRun.Of([.. args]);
        Assert.True(run.ExitCode == 0, run.Error);
        using JsonDocument json = JsonDocument.Parse(run.Output);
        JsonElement perLine = json.RootElement.GetProperty("per_line");
        Assert.Equal(c.Expected.Length, perLine.GetArrayLength());
        for (int line = 0; line < c.Expected.Length; line++)
        {
            var scores = c.Types.ToDictionary(t => t, t => new Myna.Evaluation.Rouge.RougeScore(
                perLine[line].GetProperty(t).GetProperty("precision").GetDouble(),
                perLine[line].GetProperty(t).GetProperty("recall").GetDouble(),
                perLine[line].GetProperty(t).GetProperty("fmeasure").GetDouble()));
            RougePeerCaseTests.AssertExpected(c, line, scores);
        }
        Assert.True(json.RootElement.TryGetProperty("mean", out _));
    }

    // rouge-score's test reads the multi-line files whole; a final newline would only add an empty sentence,
    // which rouge-score drops.
    private static string Escape(string summary) => summary.TrimEnd('\n').Replace("\n", "\\n", StringComparison.Ordinal);
}
