using ScottPlot;
using Myna.Text.Output;

namespace Myna.Evaluation.Comparison;

/// <summary>
/// The comparison chart: task quality against decode speed, one labelled point per model (up and right is better),
/// with a bar across each point for the speed spread. Both axes start at zero, so distances are honest, and leave room
/// around the points for their labels; the legend sits outside the plot, where it can neither cover a point nor be cut.
/// </summary>
public static class ComparisonChart
{
    /// <summary>The chart's file name in the report folder.</summary>
    public const string FileName = "quality-vs-speed.png";

    // Readable in a Markdown or HTML report.
    private const int Width = 900;
    private const int Height = 560;

    // Room beyond the largest value, as a fraction of it: the labels above the points and right of them need it.
    private const double Headroom = 0.25;

    /// <summary>Draws the chart to <paramref name="path"/> (atomically).</summary>
    public static void Write(string path, IReadOnlyList<ModelMeasurement> models, string metric)
    {
        byte[] png = Render(models, metric).GetImageBytes(Width, Height, ImageFormat.Png);
        AtomicFile.Write(path, stream => stream.Write(png));
    }

    /// <summary>The chart as a ScottPlot plot (for tests and for callers that draw it elsewhere).</summary>
    public static Plot Render(IReadOnlyList<ModelMeasurement> models, string metric)
    {
        var plot = new Plot();
        foreach (ModelMeasurement model in models)
        {
            double x = model.DecodeTokensPerSecond, y = ModelComparison.Quality(model, metric);
            // The spread: from the slowest timed run to the best one.
            var range = plot.Add.Line(model.Decode.Slowest, y, x, y);
            range.LineWidth = 3;
            var point = plot.Add.Scatter(new[] { x }, new[] { y });
            point.MarkerSize = 12;
            point.LegendText = $"{model.Name} ({model.MemoryBytes / 1e6:F0} MB)";
            range.Color = point.Color;
            var label = plot.Add.Text(model.Name, x, y);
            label.LabelFontSize = 14;
            label.LabelAlignment = Alignment.LowerCenter;
            label.OffsetY = -10;
        }
        double maxX = models.Count == 0 ? 1 : models.Max(m => m.DecodeTokensPerSecond);
        double maxY = models.Count == 0 ? 1 : models.Max(m => ModelComparison.Quality(m, metric));
        plot.Axes.SetLimits(0, Room(maxX), 0, Room(maxY));
        plot.Title($"{metric switch { "rouge" => "ROUGE-L", "exact" => "Exact match", _ => "BLEU" }} against decode speed");
        plot.XLabel("decode tokens/s (batch 1; bar: slowest to best run)");
        plot.YLabel(metric switch { "rouge" => "ROUGE-L F (0-1)", "exact" => "exact match (0-1)", _ => "BLEU (0-100)" });
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    // A quality of 0 for every model (an untrained model's BLEU) still gets a visible axis.
    private static double Room(double max) => double.IsFinite(max) && max > 0 ? max * (1 + Headroom) : 1;
}
