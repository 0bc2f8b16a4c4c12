using Myna.Apps.Support.Evaluation;

namespace Myna.Apps.Support;

/// <summary>
/// Questions users asked, each attached to the entry that answered it: what an FAQ system learns from its query log.
/// <see cref="Bm25Retriever"/> indexes them as the entry's <c>asked</c> field, so a later paraphrase matches the words
/// users use rather than only the FAQ's own. The shipped log is the dev split of <c>questions.jsonl</c>; a test question
/// never enters it, and a question is never scored against an index that holds it (<see cref="Without"/>).
/// </summary>
public sealed class QueryLog
{
    private readonly SupportQuestion[] _questions;
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Id, string Lang), List<string>> _byEntry = [];

    /// <summary>A log of <paramref name="questions"/>; out-of-scope ones (labelled hand-off) are left out, a question labelled with several entries is attached to each.</summary>
    public QueryLog(IEnumerable<SupportQuestion> questions)
    {
        ArgumentNullException.ThrowIfNull(questions);
        _questions = [.. questions.Where(q => !q.IsHandoff)];
        foreach (SupportQuestion question in _questions)
        {
            _ids.Add(question.Id);
            foreach (string id in question.Answers)
            {
                if (!_byEntry.TryGetValue((id, question.Lang), out List<string>? asked)) _byEntry[(id, question.Lang)] = asked = [];
                asked.Add(question.Question);
            }
        }
    }

    /// <summary>A log with nothing in it: the FAQ's own text only.</summary>
    public static QueryLog Empty { get; } = new([]);

    /// <summary>The questions logged.</summary>
    public IReadOnlyList<SupportQuestion> Questions => _questions;

    /// <summary>The questions asked in <paramref name="lang"/> that entry <paramref name="id"/> answered, in log order.</summary>
    public IReadOnlyList<string> Asked(string id, string lang) => _byEntry.GetValueOrDefault((id, lang)) is { } asked ? asked : [];

    /// <summary>Whether question <paramref name="questionId"/> is in the log.</summary>
    public bool Contains(string questionId) => _ids.Contains(questionId);

    /// <summary>This log less the questions whose ids are in <paramref name="questionIds"/>: the index a held-out fold is scored against.</summary>
    public QueryLog Without(IEnumerable<string> questionIds)
    {
        var left = questionIds.ToHashSet(StringComparer.Ordinal);
        return new QueryLog(_questions.Where(q => !left.Contains(q.Id)));
    }

    /// <summary>File name of the labelled questions kept beside an FAQ file; their dev split is that FAQ's query log.</summary>
    public const string QuestionsFileName = "questions.jsonl";

    /// <summary>The dev split of <see cref="QuestionsFileName"/> in the folder of <paramref name="faqPath"/> (for the
    /// shipped FAQ, <see cref="SupportDataFiles.QuestionsPath"/>), or <see cref="Empty"/> when there is no such file or it has no dev split.</summary>
    /// <exception cref="InvalidDataException">The file is malformed.</exception>
    public static QueryLog BesideFaq(string faqPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(faqPath);
        string path = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(faqPath))!, QuestionsFileName);
        if (!File.Exists(path)) return Empty;
        IReadOnlyList<SupportQuestion> all = SupportQuestionSet.Load(path);
        return new QueryLog(all.Where(q => q.Split == SupportQuestionSet.DevSplit));
    }
}
