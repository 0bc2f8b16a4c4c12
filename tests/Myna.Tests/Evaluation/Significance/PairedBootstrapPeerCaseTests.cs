using System.Text.Json;
using Myna.Evaluation.Bleu;
using Myna.Evaluation.Chrf;
using Myna.Evaluation.Significance;

namespace Myna.Tests.Evaluation.Significance;

/// <summary>
/// sacreBLEU 2.6.0's paired bootstrap (<c>PairedTest(test_type="bs")</c>) and NumPy's <c>default_rng</c>, run on
/// this project's machine (see PeerCases/README.md), against <see cref="PairedBootstrap"/> and
/// <see cref="NumpyGenerator"/>.
/// </summary>
public class PairedBootstrapPeerCaseTests
{
    private static readonly Lazy<JsonDocument> Document = new(() => JsonDocument.Parse(File.ReadAllText(
        Path.Combine(AppContext.BaseDirectory, "Evaluation", "Significance", "PeerCases", "paired_bs_cases.json"))));

    private static JsonElement Root => Document.Value.RootElement;

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(x => x.GetString()!)];

    private static (string Name, IReadOnlyList<string> Hypotheses)[] Systems() =>
        [.. Root.GetProperty("systems").EnumerateArray().Select(s => (s.GetProperty("name").GetString()!, (IReadOnlyList<string>)Strings(s.GetProperty("hyps"))))];

    internal static ICorpusMetric[] SacreBleuMetrics() =>
        [new BleuCorpusMetric(new BleuScorer()), new ChrfCorpusMetric(new ChrfScorer()), new ChrfCorpusMetric(new ChrfScorer(ChrfOptions.ChrfPlusPlus))];

    [Theory]
    [InlineData("expected_one_ref", 1)]
    [InlineData("expected_two_refs", 2)]
    public void ScoresMeansIntervalsAndPValuesMatchSacreBleu(string expectedKey, int referenceStreams)
    {
        var systems = Systems();
        IReadOnlyList<string>[] refs = [Strings(Root.GetProperty("refs")), Strings(Root.GetProperty("refs2"))];
        IReadOnlyList<PairedMetricResult> results = new PairedBootstrap().Compare(
            systems[0], systems[1..], refs[..referenceStreams], SacreBleuMetrics());

        JsonElement expected = Root.GetProperty(expectedKey);
        Assert.Equal(expected.EnumerateObject().Select(p => p.Name), results.Select(r => r.Metric));
        foreach (PairedMetricResult metric in results)
        {
            JsonElement e = expected.GetProperty(metric.Metric);
            Assert.Equal(e.GetProperty("signature").GetString(), metric.Signature);
            JsonElement[] rows = [.. e.GetProperty("systems").EnumerateArray()];
            Assert.Equal(rows.Length, metric.Systems.Count);
            for (int i = 0; i < rows.Length; i++)
            {
                PairedSystemResult actual = metric.Systems[i];
                Assert.Equal(rows[i].GetProperty("system").GetString(), actual.System);
                // Same draws, same float32 sums, same operations: chrF equal to the last bit. BLEU within 1e-9: the
                // expected values came from Python 3.11, whose sum() of the log precisions is a plain loop, while
                // BleuScorer reproduces the compensated sum() of Python 3.12+ (as sacreBLEU's BLEU peer cases need).
                double tolerance = metric.Metric == "BLEU" ? 1e-9 : 0;
                Assert.Equal(rows[i].GetProperty("score").GetDouble(), actual.Score, tolerance);
                Assert.Equal(rows[i].GetProperty("mean").GetDouble(), actual.Mean, tolerance);
                Assert.Equal(rows[i].GetProperty("ci").GetDouble(), actual.ConfidenceInterval, tolerance);
                JsonElement p = rows[i].GetProperty("p_value");
                if (p.ValueKind == JsonValueKind.Null) Assert.Null(actual.PValue);
                else Assert.Equal(p.GetDouble(), actual.PValue);
            }
        }
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("4294967301")]
    public void RawOutputsMatchNumpyDefaultRng(string seed)
    {
        var generator = new NumpyGenerator(ulong.Parse(seed, System.Globalization.CultureInfo.InvariantCulture));
        ulong[] expected = [.. Root.GetProperty("generator").GetProperty(seed).GetProperty("random_raw").EnumerateArray()
            .Select(x => ulong.Parse(x.GetString()!, System.Globalization.CultureInfo.InvariantCulture))];
        Assert.Equal(expected, Enumerable.Range(0, expected.Length).Select(_ => generator.NextUInt64()));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(80)]
    [InlineData(614)]
    [InlineData(1000)]
    [InlineData(3L * (1 << 30) + 7)]
    public void ChoiceMatchesNumpy(long population)
    {
        JsonElement expected = Root.GetProperty("generator").GetProperty("12345").GetProperty($"choice_{population}");
        var generator = new NumpyGenerator(12345);
        Assert.Equal(expected.EnumerateArray().Select(x => x.GetInt64()), Enumerable.Range(0, 24).Select(_ => generator.NextBelow(population)));
    }

    [Fact]
    public void AThousandResamplesOfEightyMatchNumpy()
    {
        int[][] rows = new NumpyGenerator(12345).ChooseWithReplacement(80, 1000);
        long checksum = 0;
        for (int s = 0; s < rows.Length; s++)
        {
            for (int i = 0; i < 80; i++) checksum += (long)rows[s][i] * (s * 80 + i + 1) % 1000003;
        }
        Assert.Equal(Root.GetProperty("generator").GetProperty("12345").GetProperty("choice_80x1000_checksum").GetInt64(), checksum);
    }
}
