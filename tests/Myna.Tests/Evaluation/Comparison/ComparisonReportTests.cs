using Myna.Evaluation.Comparison;
using Myna.Evaluation.Tasks;

namespace Myna.Tests.Evaluation.Comparison;

public class ComparisonReportTests
{
    private static ModelMeasurement Model(string name, double bleu, params double[] decodeRuns) =>
        new(name, "/m/" + name, 1000, 4000, 8000, new SpeedSamples([100, 100]), new SpeedSamples(decodeRuns), 10,
            new TaskSummary(2, bleu, "sig", 0, 0, 0, 0, 10, 1));

    [Fact]
    public void SpeedSamplesKeepTheBestRunAndTheSpread()
    {
        var samples = new SpeedSamples([80, 100, 90]);
        Assert.Equal((100.0, 80.0), (samples.Best, samples.Slowest));
        Assert.Equal(0.2, samples.Spread, 12);
        Assert.Equal(0, new SpeedSamples([50]).Spread);
        Assert.Equal("20%", ComparisonReport.Percent(samples.Spread));
        Assert.Equal("2.5%", ComparisonReport.Percent(0.025));
    }

    [Fact]
    public void ASpeedGapWithinTheSpreadIsNoWin()
    {
        // B is 5% faster at its best, but runs of both models vary by 10%: quality decides, and the text says why.
        string tie = ComparisonReport.Recommendation([Model("A", 30, 100, 90), Model("B", 20, 105, 100)], "bleu");
        Assert.StartsWith("Choose A: it has the best bleu (30.0 against 20.0 for B)", tie);
        Assert.Contains("differ by less than the run-to-run spread (10%)", tie);

        // Twice as fast, beyond any spread: the trade-off is stated.
        string tradeOff = ComparisonReport.Recommendation([Model("A", 30, 100, 90), Model("B", 20, 200, 190)], "bleu");
        Assert.Contains("Choose B if latency matters more", tradeOff);

        // The best model also fastest, but not measurably so: no claim that it is faster.
        string alsoTie = ComparisonReport.Recommendation([Model("A", 30, 105, 90), Model("B", 20, 100, 95)], "bleu");
        Assert.Contains("neither is measurably faster", alsoTie);
        Assert.Contains("is also the fastest", ComparisonReport.Recommendation([Model("A", 30, 200, 199), Model("B", 20, 100, 99)], "bleu"));
        // Models of one shape need the same memory: no "needs the least memory" for either.
        Assert.DoesNotContain("least memory", ComparisonReport.Recommendation([Model("B", 20, 100, 99), Model("A", 30, 105, 90)], "bleu"));
    }

    [Fact]
    public void TheReportsStateHowSpeedWasMeasuredAndTheSpread()
    {
        ModelMeasurement[] models = [Model("A", 30, 100, 90, 95), Model("B", 20, 200, 190, 180)];
        string markdown = ComparisonReport.Markdown(models, "bleu", "chart.png", DateTimeOffset.UnixEpoch);
        Assert.Contains("for each model the best of 3 timed runs after one warm-up run, the models alternating", markdown);
        Assert.Contains("| A | `/m/A` |", markdown);
        Assert.Contains("| 0% / 10% |", markdown);
        Assert.Contains("0% / 10%", ComparisonReport.Html(models, "bleu", "chart.png", DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void TheChartStartsItsAxesAtZeroWithRoomForTheLabels()
    {
        var plot = ComparisonChart.Render([Model("A", 30, 100, 90), Model("B", 20, 200, 190)], "bleu");
        ScottPlot.AxisLimits limits = plot.Axes.GetLimits();
        Assert.Equal((0.0, 0.0), (limits.Left, limits.Bottom));
        Assert.True(limits.Right >= 200 * 1.2 && limits.Top >= 30 * 1.2, $"{limits}");
    }
}
