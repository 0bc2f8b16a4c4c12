using System.Globalization;
using System.Text;

namespace Myna.Models.Checkpoints;

/// <summary>
/// Keeps the "Evaluations" section of a model directory's model_card.md current: each evaluation command records its
/// latest result as one table row per (metric, data), replacing the previous row for the same pair, with the date.
/// The rest of the card is left as written.
/// </summary>
public static class ModelCardFile
{
    /// <summary>The card's file name in a model directory.</summary>
    public const string FileName = "model_card.md";

    private const string Heading = "## Evaluations";
    private const string TableHeader = "| metric | data | value | details | date |";

    /// <summary>
    /// Records several results in one write; an evaluation whose card cannot be written (a read-only model folder) has
    /// still measured what it measured, so this reports the problem instead of throwing it.
    /// </summary>
    /// <returns>Null when the card was written, else why not.</returns>
    public static string? TryRecordEvaluations(string directory, IEnumerable<EvaluationRecord> records, DateTimeOffset when)
    {
        ArgumentNullException.ThrowIfNull(records);
        try
        {
            foreach (EvaluationRecord record in records) RecordEvaluation(directory, record.Metric, record.Data, record.Value, record.Details, when);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ex.Message;
        }
    }

    /// <summary>Records <paramref name="value"/> for <paramref name="metric"/> on <paramref name="data"/> in the card of <paramref name="directory"/>.</summary>
    public static void RecordEvaluation(string directory, string metric, string data, double value, string details, DateTimeOffset when)
    {
        string path = Path.Combine(directory, FileName);
        string text = File.Exists(path) ? File.ReadAllText(path) : "# Model card\n";
        var lines = text.Replace("\r\n", "\n").Split('\n').ToList();
        string row = string.Create(CultureInfo.InvariantCulture, $"| {Cell(metric)} | {Cell(data)} | {value:G6} | {Cell(details)} | {when:yyyy-MM-dd} |");

        int heading = lines.IndexOf(Heading);
        if (heading < 0)
        {
            while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
            lines.AddRange(["", Heading, "", "Latest result of each evaluation run on this directory (`myna eval`, `myna compare`).", "", TableHeader, "|---|---|---|---|---|", row, ""]);
        }
        else
        {
            int first = lines.FindIndex(heading, l => l.StartsWith("|---", StringComparison.Ordinal)) + 1;
            int end = first;
            while (end < lines.Count && lines[end].StartsWith('|')) end++;
            string key = $"| {Cell(metric)} | {Cell(data)} |";
            int existing = lines.FindIndex(first, end - first, l => l.StartsWith(key, StringComparison.Ordinal));
            if (existing >= 0) lines[existing] = row;
            else lines.Insert(end, row);
        }
        AtomicFile.WriteAllText(path, string.Join('\n', lines));
    }

    private static string Cell(string text) => text.Replace("|", "\\|").Replace("\n", " ");
}

/// <summary>One evaluation result for a model card: what was measured, on what, the value and how.</summary>
public sealed record EvaluationRecord(string Metric, string Data, double Value, string Details);
