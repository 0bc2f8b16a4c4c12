using System.Text.Json;
using Myna.Evaluation.Chrf;

namespace Myna.Tests.Evaluation.Chrf;

/// <summary>sacreBLEU's own chrF tests (test_chrf.py) and cases scored by sacreBLEU 2.6.0 itself (see
/// PeerCases/README.md), through the library API.</summary>
public class ChrfPeerCaseTests
{
    /// <summary>One case of <c>PeerCases/chrf_cases.json</c>; options use sacreBLEU's keyword names.</summary>
    public sealed record ChrfCase(string Id, string Level, string[] Hyps, string[][] Refs, JsonElement Options, JsonElement Expected, double Tolerance)
    {
        public override string ToString() => Id;

        public ChrfOptions ToOptions()
        {
            var defaults = new ChrfOptions();
            int Int(string name, int fallback) => Options.TryGetProperty(name, out JsonElement v) ? v.GetInt32() : fallback;
            bool Bool(string name) => Options.TryGetProperty(name, out JsonElement v) && v.GetBoolean();
            return new ChrfOptions
            {
                CharOrder = Int("char_order", defaults.CharOrder),
                WordOrder = Int("word_order", defaults.WordOrder),
                Beta = Int("beta", defaults.Beta),
                Lowercase = Bool("lowercase"),
                // corpus_chrf's remove_whitespace=False is CHRF's whitespace=True.
                Whitespace = Bool("whitespace") || (Options.TryGetProperty("remove_whitespace", out JsonElement rw) && !rw.GetBoolean()),
                EpsSmoothing = Bool("eps_smoothing"),
            };
        }
    }

    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Evaluation", "Chrf", "PeerCases", "chrf_cases.json"))));

    public static IEnumerable<ChrfCase> AllCases() =>
        Document.Value.RootElement.GetProperty("cases").EnumerateArray().Select(c => new ChrfCase(
            c.GetProperty("id").GetString()!,
            c.GetProperty("level").GetString()!,
            [.. c.GetProperty("hyps").EnumerateArray().Select(x => x.GetString()!)],
            [.. c.GetProperty("refs").EnumerateArray().Select(s => s.EnumerateArray().Select(x => x.GetString()!).ToArray())],
            c.GetProperty("options"),
            c.GetProperty("expected"),
            c.GetProperty("tolerance_abs").GetDouble()));

    public static TheoryData<ChrfCase> Cases() => [.. AllCases()];

    public static TheoryData<ChrfCase> DerivedCases() => [.. AllCases().Where(c => c.Expected.TryGetProperty("statistics", out _))];

    [Fact]
    public void AllCasesAreLoaded()
    {
        Assert.Equal(25, AllCases().Count(c => c.Id.StartsWith("sacrebleu/", StringComparison.Ordinal)));
        Assert.Equal(35, AllCases().Count(c => c.Id.StartsWith("derived/", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ScoreMatchesSacreBleu(ChrfCase c)
    {
        var scorer = new ChrfScorer(c.ToOptions());
        ChrfScore score = c.Level == "sentence"
            ? scorer.SentenceScore(c.Hyps.Single(), [.. c.Refs.Select(stream => stream.Single())])
            : scorer.CorpusScore(c.Hyps, c.Refs);
        double expected = c.Expected.GetProperty("score").GetDouble();
        Assert.InRange(score.Score, expected - c.Tolerance, expected + c.Tolerance);
    }

    [Theory]
    [MemberData(nameof(DerivedCases))]
    public void StatisticsNameSignatureAndSentenceScoresMatchSacreBleu(ChrfCase c)
    {
        var scorer = new ChrfScorer(c.ToOptions());
        ChrfScore corpus = scorer.CorpusScore(c.Hyps, c.Refs);
        Assert.Equal(c.Expected.GetProperty("statistics").EnumerateArray().Select(x => x.GetInt64()), corpus.Statistics.Values);
        Assert.Equal(c.Expected.GetProperty("name").GetString(), corpus.Name);
        Assert.Equal(c.Expected.GetProperty("signature").GetString(), scorer.Signature(c.Refs.Length));
        // Same operations in the same order as Python: the scores agree to the last bit.
        Assert.Equal(c.Expected.GetProperty("score").GetDouble(), corpus.Score);
        double[] sentences = [.. c.Expected.GetProperty("sentence_scores").EnumerateArray().Select(x => x.GetDouble())];
        for (int i = 0; i < c.Hyps.Length; i++)
            Assert.Equal(sentences[i], scorer.SentenceScore(c.Hyps[i], [.. c.Refs.Select(stream => stream[i])]).Score);
    }
}
