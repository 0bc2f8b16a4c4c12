using System.Globalization;
using Myna.Training;
using Spectre.Console;

namespace Myna.Cli.Commands.Train;

/// <summary>What <c>myna train</c> shows while it runs: a live Spectre.Console panel on a terminal, one plain line per log otherwise.</summary>
internal static class TrainProgressDisplay
{
    /// <summary>One log line: step, loss, val loss, learning rate, tokens/s, ETA.</summary>
    public static string PlainLine(TrainingProgress p) => p.Kind switch
    {
        "checkpoint" => $"step {p.Step}/{p.TotalSteps} | checkpoint {p.Message}",
        "note" => $"note: {p.Message}",
        "val" => string.Create(CultureInfo.InvariantCulture, $"step {p.Step}/{p.TotalSteps} | val loss {p.ValLoss:F4} | val ppl {Math.Exp(p.ValLoss ?? double.NaN):F2}"),
        _ => string.Create(CultureInfo.InvariantCulture,
            $"step {p.Step}/{p.TotalSteps} | loss {p.TrainLoss:F4} | val {(p.ValLoss is double v ? v.ToString("F4", CultureInfo.InvariantCulture) : "-")} | lr {p.LearningRate:0.###e+0} | {p.TokensPerSecond:N0} tok/s | eta {Eta(p.Eta)}"),
    };

    /// <summary>Runs the trainer under a live table on an interactive terminal.</summary>
    public static TrainingResult RunLive(TrainingOptions options, bool resume, TextWriter stdout, CancellationToken cancellation)
    {
        IAnsiConsole console = Terminal.For(stdout);
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]myna train[/]")
            .AddColumn("step").AddColumn("loss").AddColumn("val loss").AddColumn("lr").AddColumn("tokens/s").AddColumn("ETA");
        table.AddRow("starting…", "", "", "", "", "");
        string lastCheckpoint = "", note = "";
        TrainingResult? result = null;
        console.Live(table).AutoClear(false).Start(context =>
        {
            result = new Trainer(options, p =>
            {
                if (p.Kind == "checkpoint") lastCheckpoint = $"checkpoint at step {p.Step}";
                if (p.Kind == "note")
                {
                    // Said before the first step of a resumed run, and kept under the table while it runs.
                    note = $"note: {p.Message}\n";
                    table.Caption(Markup.Escape(note + lastCheckpoint));
                    context.Refresh();
                    return;
                }
                table.Rows.Clear();
                table.AddRow(
                    $"{p.Step:N0}/{p.TotalSteps:N0}",
                    double.IsFinite(p.TrainLoss) ? p.TrainLoss.ToString("F4", CultureInfo.InvariantCulture) : "-", // none before the first step
                    p.ValLoss is double v ? v.ToString("F4", CultureInfo.InvariantCulture) : "-",
                    p.LearningRate.ToString("0.###e+0", CultureInfo.InvariantCulture),
                    p.TokensPerSecond.ToString("N0", CultureInfo.InvariantCulture),
                    Eta(p.Eta));
                table.Caption(Markup.Escape(note + lastCheckpoint));
                context.Refresh();
            }).Run(resume, cancellation);
        });
        return result!;
    }

    private static string Eta(TimeSpan eta) => eta.TotalHours >= 1 ? eta.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : eta.ToString(@"mm\:ss", CultureInfo.InvariantCulture);
}
