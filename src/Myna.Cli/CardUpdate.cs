using System.CommandLine;
using Myna.Models.Checkpoints;

namespace Myna.Cli;

/// <summary>
/// The <c>--update-card</c> flag shared by the evaluation commands. Evaluating reads a model and writes nothing into its
/// folder unless asked: a shipped model stays as shipped (a clean <c>git status</c> after the README tour) and a
/// read-only folder can still be scored. When asked and the card cannot be written, the score stands and a warning says why.
/// </summary>
internal static class CardUpdate
{
    /// <summary>A new instance of the flag (each command owns its options).</summary>
    public static Option<bool> Flag() => new("--update-card")
    {
        Description = $"Record the result in the model folder's {ModelCard.FileName} (\"Evaluations\" table). Off: evaluating never writes into a model folder.",
    };

    /// <summary>Records each folder's results in <paramref name="directories"/> when the flag is on; warns on stderr if a card cannot be written.</summary>
    public static void RecordIfAsked(ParseResult parsed, Option<bool> flag, IEnumerable<(string Directory, IReadOnlyList<EvaluationRecord> Records)> directories)
    {
        if (!parsed.GetValue(flag)) return;
        DateTimeOffset now = DateTimeOffset.UtcNow;
        foreach ((string directory, IReadOnlyList<EvaluationRecord> records) in directories)
        {
            if (ModelDirectory.TryRecordEvaluations(directory, records, now) is { } problem)
                parsed.InvocationConfiguration.Error.WriteLine($"warning: the result stands, but {Path.Combine(directory, ModelCard.FileName)} could not be updated: {problem}");
        }
    }

    /// <summary>Records <paramref name="records"/> in <paramref name="directory"/> when the flag is on.</summary>
    public static void RecordIfAsked(ParseResult parsed, Option<bool> flag, string directory, params EvaluationRecord[] records) =>
        RecordIfAsked(parsed, flag, [(directory, records)]);
}
