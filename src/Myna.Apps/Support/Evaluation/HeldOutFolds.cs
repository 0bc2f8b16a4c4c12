namespace Myna.Apps.Support.Evaluation;

/// <summary>
/// k-fold cross-validation over a <see cref="QueryLog"/>: a logged question is scored only by an index built without
/// its fold, so what is learned from the log is measured on questions it has not seen. The log's questions are dealt to
/// folds round-robin in log order, so a question's fold does not depend on which questions are evaluated with it.
/// </summary>
public static class HeldOutFolds
{
    /// <summary>Folds used by tuning and evaluation. 5: each index keeps 80% of the log.</summary>
    public const int Count = 5;

    /// <summary>
    /// <paramref name="questions"/> grouped by the log their index holds: those not in <paramref name="log"/> with the
    /// whole log, those in it with the log less their fold. Every question is in exactly one group; empty groups are left out.
    /// </summary>
    public static IReadOnlyList<(QueryLog Log, IReadOnlyList<SupportQuestion> Questions)> Groups(IReadOnlyList<SupportQuestion> questions, QueryLog log, int folds = Count)
    {
        ArgumentNullException.ThrowIfNull(questions);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        var foldOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < log.Questions.Count; i++) foldOf[log.Questions[i].Id] = i % folds;
        var groups = new List<(QueryLog, IReadOnlyList<SupportQuestion>)>();
        SupportQuestion[] unseen = [.. questions.Where(q => !foldOf.ContainsKey(q.Id))];
        if (unseen.Length > 0) groups.Add((log, unseen));
        for (int fold = 0; fold < folds; fold++)
        {
            SupportQuestion[] scored = [.. questions.Where(q => foldOf.TryGetValue(q.Id, out int f) && f == fold)];
            if (scored.Length == 0) continue;
            groups.Add((log.Without(foldOf.Where(p => p.Value == fold).Select(p => p.Key)), scored));
        }
        return groups;
    }

    /// <summary>The fold (0 to <paramref name="folds"/> − 1) of the <paramref name="index"/>-th of a list of examples, round-robin.</summary>
    public static int Of(int index, int folds = Count) => index % folds;
}
