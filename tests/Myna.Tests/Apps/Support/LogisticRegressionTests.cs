using Myna.Apps.Support;

namespace Myna.Tests.Apps.Support;

public sealed class LogisticRegressionTests
{
    [Fact]
    public void Learns_which_side_of_a_boundary_is_positive_on_raw_feature_scales()
    {
        // Positive when the second feature (on a scale 1000 times the first's) is large; the first is noise.
        double[][] x = [[0.1, 100], [0.9, 200], [0.5, 300], [0.2, 700], [0.8, 800], [0.4, 900]];
        bool[] y = [false, false, false, true, true, true];
        LogisticRegression model = LogisticRegression.Fit(x, y, l2: 0.01);
        Assert.All(x.Zip(y), p => Assert.Equal(p.Second, model.Probability(p.First) > 0.5));
        Assert.True(model.Weights[1] > 0);
        Assert.True(model.Probability([0.5, 1000]) > model.Probability([0.5, 500]));
    }

    [Fact]
    public void A_stronger_penalty_gives_less_confident_probabilities()
    {
        double[][] x = [[0], [1], [2], [3]];
        bool[] y = [false, false, true, true];
        double loose = LogisticRegression.Fit(x, y, l2: 0.001).Probability([3]);
        double tight = LogisticRegression.Fit(x, y, l2: 1).Probability([3]);
        Assert.True(loose > tight && tight > 0.5);
    }

    [Fact]
    public void Fitting_is_deterministic()
    {
        double[][] x = [[1, 2], [2, 1], [3, 5], [4, 4]];
        bool[] y = [false, true, false, true];
        Assert.Equal(LogisticRegression.Fit(x, y, 0.1).Weights, LogisticRegression.Fit(x, y, 0.1).Weights);
    }

    [Fact]
    public void Bad_input_is_a_clear_error()
    {
        Assert.Throws<ArgumentException>(() => LogisticRegression.Fit([], [], 0.1));
        Assert.Throws<ArgumentException>(() => LogisticRegression.Fit([[1.0]], [true, false], 0.1));
        Assert.Throws<ArgumentException>(() => LogisticRegression.Fit([[1.0], [1.0, 2.0]], [true, false], 0.1));
        Assert.Throws<ArgumentException>(() => LogisticRegression.Fit([[1.0]], [true], -1));
        Assert.Throws<ArgumentException>(() => new LogisticRegression([1.0, 2.0], 0).Probability([1.0]));
    }
}
