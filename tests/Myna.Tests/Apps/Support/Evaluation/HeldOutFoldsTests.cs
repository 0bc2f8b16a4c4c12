using Myna.Apps.Support;
using Myna.Apps.Support.Evaluation;

namespace Myna.Tests.Apps.Support.Evaluation;

public sealed class HeldOutFoldsTests
{
    private static SupportQuestion Q(string id) => new(id, "en", "question " + id, ["e" + id], "dev");

    [Fact]
    public void Every_question_is_scored_once_and_never_by_an_index_holding_it()
    {
        SupportQuestion[] logged = [.. Enumerable.Range(0, 12).Select(i => Q("d" + i))];
        var log = new QueryLog(logged);
        SupportQuestion[] questions = [.. logged, Q("t1"), Q("t2")];
        var groups = HeldOutFolds.Groups(questions, log, folds: 5);
        Assert.Equal(questions.Select(q => q.Id).Order(), groups.SelectMany(g => g.Questions).Select(q => q.Id).Order());
        foreach ((QueryLog indexed, IReadOnlyList<SupportQuestion> scored) in groups)
            Assert.All(scored, q => Assert.False(indexed.Contains(q.Id), q.Id));
        // Unlogged questions see the whole log; a fold's index keeps the other folds (12 logged, 5 folds: 9 or 10 kept).
        Assert.Equal(12, groups.Single(g => g.Questions.Any(q => q.Id == "t1")).Log.Questions.Count);
        Assert.All(groups.Where(g => g.Log.Questions.Count < 12), g => Assert.InRange(g.Log.Questions.Count, 9, 10));
    }

    [Fact]
    public void A_questions_fold_does_not_depend_on_which_questions_are_evaluated()
    {
        SupportQuestion[] logged = [.. Enumerable.Range(0, 10).Select(i => Q("d" + i))];
        var log = new QueryLog(logged);
        QueryLog Index(IReadOnlyList<SupportQuestion> evaluated, string id) => HeldOutFolds.Groups(evaluated, log).Single(g => g.Questions.Any(q => q.Id == id)).Log;
        Assert.Equal(Index(logged, "d3").Questions.Select(q => q.Id), Index([logged[3]], "d3").Questions.Select(q => q.Id));
    }
}
