using Myna.Evaluation.Bleu;
using Myna.Evaluation.Chrf;
using Myna.Evaluation.Significance;

namespace Myna.Tests.Evaluation.Significance;

/// <summary>Properties of <see cref="PairedBootstrap"/> that hold whatever the data: determinism, the formula's
/// edge cases, errors.</summary>
public class PairedBootstrapTests
{
    private static readonly string[] Refs =
    [
        "The cat sat on the mat.", "Debian is a free operating system.", "Install the package with apt.",
        "The kernel was updated yesterday.", "Security updates arrive every week.", "Read the manual first.",
        "The mirror is out of date.", "Stable releases are tested for months.", "Run the command as root.",
        "The archive keeps old versions.", "A user can file a bug report.", "The network was down all night.",
    ];

    private static readonly string[] Weak =
    [
        "A cat is on mat.", "Debian system free.", "Package install apt.", "Kernel yesterday.", "Updates every.",
        "Manual read.", "Mirror old.", "Releases months.", "Command root.", "Archive versions.", "Bug user.", "Network night.",
    ];

    private static readonly string[] Strong =
    [
        "The cat sat on the mat.", "Debian is a free operating system.", "Install the package with apt.",
        "The kernel was updated yesterday.", "Security updates come every week.", "Read the manual first.",
        "The mirror is out of date.", "Stable releases are tested for months.", "Run this command as root.",
        "The archive keeps old versions.", "A user can file a bug report.", "The network was down all night.",
    ];

    private static IReadOnlyList<PairedMetricResult> Run(PairedBootstrapOptions options, params (string, IReadOnlyList<string>)[] systems) =>
        new PairedBootstrap(options).Compare(("weak", Weak), systems, [Refs], PairedBootstrapPeerCaseTests.SacreBleuMetrics());

    [Fact]
    public void TheSameSeedGivesTheSameResultsAndAnotherSeedOtherResamples()
    {
        var first = Run(new PairedBootstrapOptions(), ("strong", Strong));
        var again = Run(new PairedBootstrapOptions(), ("strong", Strong));
        Assert.Equal(first.SelectMany(m => m.Systems), again.SelectMany(m => m.Systems));

        var other = Run(new PairedBootstrapOptions { Seed = 7 }, ("strong", Strong));
        Assert.Equal(first.SelectMany(m => m.Systems.Select(s => s.Score)), other.SelectMany(m => m.Systems.Select(s => s.Score)));
        Assert.NotEqual(first.SelectMany(m => m.Systems.Select(s => s.Mean)), other.SelectMany(m => m.Systems.Select(s => s.Mean)));
    }

    [Fact]
    public void AClearlyBetterSystemIsSignificant()
    {
        foreach (PairedMetricResult metric in Run(new PairedBootstrapOptions(), ("strong", Strong)))
        {
            PairedSystemResult strong = metric.Systems[1];
            Assert.True(strong.Score > metric.Systems[0].Score + 20, $"{metric.Metric}: {strong.Score} vs {metric.Systems[0].Score}");
            Assert.True(strong.PValue < 0.05, $"{metric.Metric}: p = {strong.PValue}");
            Assert.InRange(strong.Score, strong.Mean - 3 * strong.ConfidenceInterval, strong.Mean + 3 * strong.ConfidenceInterval);
        }
    }

    [Fact]
    public void ASystemIdenticalToTheBaselineGetsTheSmallestPValueAsInSacreBleu()
    {
        // sacreBLEU's formula counts centred differences strictly above the observed one: all are 0 here, so the
        // count is 0 and p = 1 / (resamples + 1). This is what sacreBLEU prints; the test documents it.
        foreach (PairedMetricResult metric in Run(new PairedBootstrapOptions { Resamples = 200 }, ("copy", [.. Weak])))
        {
            Assert.Null(metric.Systems[0].PValue);
            Assert.Equal(1.0 / 201, metric.Systems[1].PValue);
            Assert.Equal(metric.Systems[0].Mean, metric.Systems[1].Mean);
        }
    }

    [Fact]
    public void ASystemDifferingInOneWordIsNotSignificant()
    {
        string[] almost = [.. Weak];
        almost[3] = "Kernel was yesterday.";
        foreach (PairedMetricResult metric in Run(new PairedBootstrapOptions(), ("almost", almost)))
            Assert.True(metric.Systems[1].PValue > 0.05, $"{metric.Metric}: p = {metric.Systems[1].PValue}");
    }

    [Fact]
    public void EstimateConfidenceTakesTheFortiethFromEachEnd()
    {
        double[] scores = [.. Enumerable.Range(1, 1000).Select(i => (double)(1001 - i))];
        (double mean, double ci) = PairedBootstrap.EstimateConfidence(scores);
        Assert.Equal(500.5, mean);
        Assert.Equal(0.5 * (975 - 26), ci);
    }

    [Fact]
    public void PValueCountsCentredDifferencesAboveTheObservedOne()
    {
        double[] baseline = [10, 10, 10, 10];
        double[] system = [10, 11, 12, 17]; // differences 0, 1, 2, 7: mean 2.5, centred -2.5, -1.5, -0.5, 4.5
        Assert.Equal(2.0 / 5, PairedBootstrap.PValue(system, baseline, 4.0));
        Assert.Equal(1.0 / 5, PairedBootstrap.PValue(system, baseline, 4.5));
    }

    [Fact]
    public void SignaturesCarryTheResamplesAndSeedAfterNrefs()
    {
        var test = new PairedBootstrap(new PairedBootstrapOptions { Resamples = 500, Seed = 3 });
        Assert.Equal("nrefs:2|bs:500|seed:3|case:mixed|eff:yes|nc:6|nw:2|space:no|version:2.6.0",
            test.Signature(new ChrfCorpusMetric(new ChrfScorer(ChrfOptions.ChrfPlusPlus)), 2));
        Assert.Equal("nrefs:1|bs:500|seed:3|case:mixed|eff:no|tok:zh|smooth:exp|version:2.6.0",
            test.Signature(new BleuCorpusMetric(new BleuScorer(new BleuOptions { Tokenize = "zh" })), 1));
    }

    [Fact]
    public void BadInputIsRefusedWithAReason()
    {
        var test = new PairedBootstrap();
        ICorpusMetric[] metrics = [new ChrfCorpusMetric(new ChrfScorer())];
        var ex = Assert.Throws<ArgumentException>(() => test.Compare(("weak", Weak), [("short", Strong[..5])], [Refs], metrics));
        Assert.Contains("'short' has 5 segments", ex.Message);
        Assert.Throws<ArgumentException>(() => test.Compare(("weak", Weak), [("strong", Strong)], [Refs[..3]], metrics));
        Assert.Throws<ArgumentException>(() => test.Compare(("empty", []), [], [[]], metrics));
        Assert.Throws<ArgumentException>(() => test.Compare(("weak", Weak), [], [Refs], []));
        Assert.Throws<ArgumentException>(() => new PairedBootstrap(new PairedBootstrapOptions { Resamples = 0 }));
    }
}
