using System.Globalization;
using System.Text.Json;
using Myna.Evaluation.Bleu;
using static Myna.Tests.Evaluation.EvaluationPeerCases;

namespace Myna.Tests.Evaluation.Bleu;

/// <summary>sacreBLEU's own test cases (test_bleu.py, test_sentence_bleu.py) through the library API.</summary>
public class BleuPeerCaseTests
{
    public static TheoryData<BleuCase> Cases() => [.. BleuCases()];

    public static TheoryData<BleuStatsCase> StatsCases() => [.. BleuStatsOnly()];

    public static TheoryData<BleuTokenizerCase> TokenizerCases() => [.. BleuTokenizers()];

    /// <summary>The options a case asks for, defaults as the sacreBLEU function its level names.</summary>
    internal static BleuOptions OptionsOf(BleuCase c)
    {
        BleuOptions defaults = c.Level == "sentence" ? BleuOptions.SentenceDefaults : new BleuOptions();
        return defaults with
        {
            Tokenize = c.Tokenize ?? defaults.Tokenize,
            Smoothing = c.SmoothMethod is string m ? BleuSmoothingNames.Parse(m) : defaults.Smoothing,
            SmoothValue = c.SmoothValue,
            EffectiveOrder = c.EffectiveOrder ?? defaults.EffectiveOrder,
            Lowercase = c.Lowercase,
            MaxNgramOrder = c.MaxNgramOrder ?? defaults.MaxNgramOrder,
        };
    }

    [Fact]
    public void AllCasesAreLoaded()
    {
        Assert.Equal(39, BleuCases().Count());
        Assert.Equal(7, BleuStatsOnly().Count());
        Assert.Equal(2, BleuTokenizers().Count());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ScoreMatchesSacreBleu(BleuCase c)
    {
        var scorer = new BleuScorer(OptionsOf(c));
        BleuScore score = c.Level == "sentence"
            ? scorer.SentenceScore(c.Hyps.Single(), [.. c.Refs.Select(stream => stream.Single())])
            : scorer.CorpusScore(c.Hyps, c.Refs);
        AssertExpected(c, score.Score, score.Counts, score.Totals);
    }

    internal static void AssertExpected(BleuCase c, double score, long[] counts, long[] totals)
    {
        if (c.Expected.TryGetProperty("score", out JsonElement expected))
            Assert.InRange(score, expected.GetDouble() - c.ScoreTolerance!.Value, expected.GetDouble() + c.ScoreTolerance!.Value);
        if (c.Expected.TryGetProperty("score_str2", out JsonElement text))
            Assert.Equal(text.GetString(), score.ToString("F2", CultureInfo.InvariantCulture));
        if (c.Expected.TryGetProperty("counts", out JsonElement expectedCounts))
            Assert.Equal(expectedCounts.EnumerateArray().Select(x => x.GetInt64()), counts);
        if (c.Expected.TryGetProperty("totals", out JsonElement expectedTotals))
            Assert.Equal(expectedTotals.EnumerateArray().Select(x => x.GetInt64()), totals);
    }

    [Theory]
    [MemberData(nameof(StatsCases))]
    public void ComputeBleuFromStatisticsMatchesSacreBleu(BleuStatsCase c)
    {
        var stats = new BleuStatistics(c.SysLen, c.RefLen, c.Correct, c.Total);
        BleuScore score = BleuScorer.ComputeBleu(stats, BleuSmoothingNames.Parse(c.SmoothMethod), c.SmoothValue);
        Assert.InRange(score.Score / 100, c.ExpectedUnit - c.Tolerance, c.ExpectedUnit + c.Tolerance);
    }

    [Theory]
    [MemberData(nameof(TokenizerCases))]
    public void TokenizerGivesTheExpectedTokens(BleuTokenizerCase c)
    {
        string tokenized = BleuTokenizer.FromName(c.Tokenize).Tokenize(c.Text);
        Assert.Equal(c.ExpectedTokens, tokenized.Split(' '));

        // The way the collection states it for the CLI: text against itself scores 100 with every token counted.
        BleuScore score = new BleuScorer(new BleuOptions { Tokenize = c.Tokenize }).CorpusScore([c.Text], [[c.Text]]);
        Assert.Equal(c.ExpectedTokens.Length, score.SysLen);
        Assert.Equal(c.ExpectedTokens.Length, score.RefLen);
        Assert.Equal(100, score.Score, 10);
    }
}
