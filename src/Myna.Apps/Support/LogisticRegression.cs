namespace Myna.Apps.Support;

/// <summary>
/// Binary logistic regression, P(y = 1 | x) = σ(w·x + b), fitted by full-batch gradient descent on the mean log loss
/// plus an L2 penalty on w. Features are standardised while fitting (so one learning rate suits them all) and the
/// returned weights are mapped back to the raw features. Deterministic: same data, same weights.
/// </summary>
/// <param name="Weights">One weight per raw feature.</param>
/// <param name="Bias">The intercept.</param>
public sealed record LogisticRegression(IReadOnlyList<double> Weights, double Bias)
{
    /// <summary>Gradient steps taken. 2,000 at rate 0.5 converge on a few features and a few hundred examples.</summary>
    public const int Steps = 2_000;

    private const double LearningRate = 0.5;

    /// <summary>P(y = 1 | <paramref name="x"/>).</summary>
    /// <exception cref="ArgumentException"><paramref name="x"/> has the wrong length.</exception>
    public double Probability(IReadOnlyList<double> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Count != Weights.Count) throw new ArgumentException($"expected {Weights.Count} features, not {x.Count}.");
        double z = Bias;
        for (int i = 0; i < x.Count; i++) z += Weights[i] * x[i];
        return Sigmoid(z);
    }

    /// <summary>Fits <paramref name="x"/> (one row per example) to labels <paramref name="y"/>.</summary>
    /// <param name="x">Features, every row the same length.</param>
    /// <param name="y">Labels.</param>
    /// <param name="l2">The L2 penalty on the standardised weights (not on the bias).</param>
    /// <exception cref="ArgumentException">No examples, rows of different lengths, labels of another count, or a negative penalty.</exception>
    public static LogisticRegression Fit(IReadOnlyList<IReadOnlyList<double>> x, IReadOnlyList<bool> y, double l2)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count == 0) throw new ArgumentException("no examples to fit.");
        if (x.Count != y.Count) throw new ArgumentException($"{x.Count} examples but {y.Count} labels.");
        if (!(l2 >= 0)) throw new ArgumentException($"the L2 penalty must be 0 or more, not {l2}.");
        int n = x.Count, d = x[0].Count;
        if (x.Any(row => row.Count != d)) throw new ArgumentException("every example needs the same number of features.");
        // Standardise: a constant feature keeps scale 1 (it then only shifts the bias, and its weight decays to 0).
        var mean = new double[d];
        var scale = new double[d];
        for (int j = 0; j < d; j++)
        {
            mean[j] = x.Average(row => row[j]);
            double sd = Math.Sqrt(x.Average(row => (row[j] - mean[j]) * (row[j] - mean[j])));
            scale[j] = sd > 1e-12 ? sd : 1;
        }
        var z = new double[n][];
        for (int i = 0; i < n; i++)
        {
            z[i] = new double[d];
            for (int j = 0; j < d; j++) z[i][j] = (x[i][j] - mean[j]) / scale[j];
        }
        var w = new double[d];
        double b = 0;
        var gradient = new double[d];
        for (int step = 0; step < Steps; step++)
        {
            Array.Clear(gradient);
            double gradientB = 0;
            for (int i = 0; i < n; i++)
            {
                double s = b;
                for (int j = 0; j < d; j++) s += w[j] * z[i][j];
                double error = Sigmoid(s) - (y[i] ? 1 : 0);
                gradientB += error;
                for (int j = 0; j < d; j++) gradient[j] += error * z[i][j];
            }
            b -= LearningRate * gradientB / n;
            for (int j = 0; j < d; j++) w[j] -= LearningRate * (gradient[j] / n + l2 * w[j]);
        }
        // Back to raw features: w·(x − μ)/σ + b = (w/σ)·x + (b − Σ w μ/σ).
        var raw = new double[d];
        double bias = b;
        for (int j = 0; j < d; j++)
        {
            raw[j] = w[j] / scale[j];
            bias -= raw[j] * mean[j];
        }
        return new LogisticRegression(raw, bias);
    }

    private static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));
}
