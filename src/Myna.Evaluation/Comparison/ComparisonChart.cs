using ScottPlot;

namespace Myna.Evaluation.Comparison;

/// <summary>The comparison chart: task quality against decode speed, one labelled point per model (up and right is better).</summary>
public static class ComparisonChart
{
    /// <summary>The chart's file name in the report folder.</summary>
    public const string FileName = "quality-vs-speed.png";

    // Readable in a Markdown or HTML report.
    private const int Width = 900;
    private const int Height = 560;

    /// <summary>Draws the chart to <paramref name="path"/> (atomically).</summary>
    public static void Write(string path, IReadOnlyList<ModelMeasurement> models, string metric)
    {
        var plot = new Plot();
        foreach (ModelMeasurement model in models)
        {
            double x = model.DecodeTokensPerSecond, y = ModelComparison.Quality(model, metric);
            var point = plot.Add.Scatter(new[] { x }, new[] { y });
            point.MarkerSize = 12;
            point.LegendText = $"{model.Name} ({model.MemoryBytes / 1e6:F0} MB)";
            var label = plot.Add.Text(model.Name, x, y);
            label.LabelFontSize = 14;
            label.OffsetY = -14;
        }
        plot.Title($"{metric} against decode speed");
        plot.XLabel("decode tokens/s (batch 1)");
        plot.YLabel(metric switch { "rouge" => "ROUGE-L F (0-100)", "exact" => "exact match (%)", _ => "BLEU" });
        plot.ShowLegend(Alignment.LowerRight);
        byte[] png = plot.GetImageBytes(Width, Height, ImageFormat.Png);
        Models.Checkpoints.AtomicFile.Write(path, stream => stream.Write(png));
    }
}
