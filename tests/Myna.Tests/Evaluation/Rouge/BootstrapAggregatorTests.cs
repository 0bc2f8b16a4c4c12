using System.Text.Json;
using Myna.Evaluation.Rouge;

namespace Myna.Tests.Evaluation.Rouge;

public class BootstrapAggregatorTests
{
    public static TheoryData<int> NumpyCases() => [0, 1, 2];

    [Theory]
    [MemberData(nameof(NumpyCases))]
    public void IntervalsAreBitIdenticalToRougeScoreWithNumpy(int index)
    {
        string path = Path.Combine(EvaluationPeerCases.Directory, "generated", "bootstrap_numpy_1.24.json");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement c = document.RootElement.GetProperty("cases")[index];
        var perLine = c.GetProperty("rows").EnumerateArray().Select(row =>
        {
            double[] v = [.. row.EnumerateArray().Select(x => x.GetDouble())];
            return (IReadOnlyDictionary<string, RougeScore>)new Dictionary<string, RougeScore>
            {
                ["a"] = new(v[0], v[1], v[2]),
                ["b"] = new(v[3], v[4], v[5]),
            };
        }).ToList();

        var aggregator = new BootstrapAggregator(c.GetProperty("samples").GetInt32(), seed: c.GetProperty("seed").GetUInt32());
        IReadOnlyDictionary<string, RougeInterval> intervals = aggregator.Aggregate(["a", "b"], perLine);

        foreach (string type in new[] { "a", "b" })
        {
            JsonElement expected = c.GetProperty("expected").GetProperty(type);
            AssertScore(expected.GetProperty("low"), intervals[type].Low);
            AssertScore(expected.GetProperty("mid"), intervals[type].Mid);
            AssertScore(expected.GetProperty("high"), intervals[type].High);
        }
    }

    private static void AssertScore(JsonElement expected, RougeScore actual)
    {
        Assert.Equal(expected[0].GetDouble(), actual.Precision);
        Assert.Equal(expected[1].GetDouble(), actual.Recall);
        Assert.Equal(expected[2].GetDouble(), actual.FMeasure);
    }

    [Fact]
    public void MersenneTwisterMatchesTheReferenceSequence()
    {
        // MT19937's reference output for init_genrand(5489), the generator's published check values.
        var random = new NumpyRandomState(5489);
        Assert.Equal(3499211612u, random.NextUInt32());
        Assert.Equal(581869302u, random.NextUInt32());
        Assert.Equal(3890346734u, random.NextUInt32());
    }

    [Fact]
    public void SameSeedSameIntervalsAndConstantScoresGiveAPointInterval()
    {
        var perLine = Enumerable.Repeat((IReadOnlyDictionary<string, RougeScore>)new Dictionary<string, RougeScore>
        {
            ["rouge1"] = new(0.5, 0.25, RougeScore.FMeasureOf(0.5, 0.25)),
        }, 5).ToList();
        RougeInterval interval = new BootstrapAggregator(100, seed: 3).Aggregate(["rouge1"], perLine)["rouge1"];
        Assert.Equal(0.5, interval.Low.Precision, 12);
        Assert.Equal(0.5, interval.High.Precision, 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => new BootstrapAggregator(0));
        Assert.Throws<ArgumentException>(() => new BootstrapAggregator().Aggregate(["rouge1"], []));
    }
}
