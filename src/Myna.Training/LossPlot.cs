using ScottPlot;
using Myna.Text.Output;

namespace Myna.Training;

/// <summary>loss.png: training and validation loss against tokens seen, drawn headless with ScottPlot.</summary>
public static class LossPlot
{
    /// <summary>The plot's file name in the output folder.</summary>
    public const string FileName = "loss.png";

    // Large enough to read the curve in a report, small enough to refresh at every eval.
    private const int Width = 900;
    private const int Height = 540;

    /// <summary>Draws the curves in <paramref name="records"/> to <paramref name="path"/> (written atomically).</summary>
    public static void Write(string path, IReadOnlyList<MetricsRecord> records, string title)
    {
        var plot = new Plot();
        double[] trainX = records.Where(r => r.TrainLoss is not null).Select(r => (double)r.Tokens).ToArray();
        double[] trainY = records.Where(r => r.TrainLoss is not null).Select(r => r.TrainLoss!.Value).ToArray();
        double[] valX = records.Where(r => r.ValLoss is not null).Select(r => (double)r.Tokens).ToArray();
        double[] valY = records.Where(r => r.ValLoss is not null).Select(r => r.ValLoss!.Value).ToArray();
        if (trainX.Length > 0)
        {
            var train = plot.Add.Scatter(trainX, trainY);
            train.LegendText = "train loss";
            train.MarkerSize = trainX.Length > 50 ? 0 : 4;
        }
        if (valX.Length > 0)
        {
            var val = plot.Add.Scatter(valX, valY);
            val.LegendText = "validation loss";
            val.MarkerSize = 6;
            val.LineWidth = 2;
        }
        plot.Title(title);
        plot.XLabel("tokens");
        plot.YLabel("loss (nats/token)");
        plot.ShowLegend(Alignment.UpperRight);
        byte[] png = plot.GetImageBytes(Width, Height, ImageFormat.Png);
        AtomicFile.Write(path, stream => stream.Write(png));
    }
}
