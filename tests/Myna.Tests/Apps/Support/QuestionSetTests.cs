using System.Security.Cryptography;
using System.Text;
using Myna.Text.Nlp;

namespace Myna.Tests.Apps.Support;

/// <summary>The committed evaluation questions, data/apps/support/questions.jsonl: enough answerable and hand-off
/// questions in both languages, labels that exist, the documented dev/test split, and wording that paraphrases the
/// FAQ titles rather than copying them.</summary>
public sealed class QuestionSetTests
{
    /// <summary>The split rule written in data/apps/support/README.md.</summary>
    private const string SplitSeed = "myna-support-split-15:";
    private const double MaxMeanTitleJaccard = 0.3;

    private static readonly IReadOnlyList<QuestionRow> Questions = SupportData.Questions();
    private static readonly IReadOnlyList<FaqEntryRow> Entries = SupportData.Faq();

    [Fact]
    public void There_are_enough_answerable_and_handoff_questions_in_both_languages()
    {
        Assert.True(Questions.Count(q => q.Lang == "en" && !q.IsHandoff) >= 100);
        Assert.True(Questions.Count(q => q.Lang == "zh" && !q.IsHandoff) >= 100);
        Assert.True(Questions.Count(q => q.IsHandoff) >= 60);
        Assert.True(Questions.Count(q => q.Lang == "en" && q.IsHandoff) >= 25);
        Assert.True(Questions.Count(q => q.Lang == "zh" && q.IsHandoff) >= 25);
    }

    [Fact]
    public void Every_label_is_an_entry_id_of_the_questions_language()
    {
        var ids = Entries.Select(e => (e.Lang, e.Id)).ToHashSet();
        Assert.All(Questions, q =>
        {
            Assert.Contains(q.Lang, new[] { "en", "zh" });
            if (q.IsHandoff) return;
            Assert.NotEmpty(q.Answers!);
            Assert.All(q.Answers!, id => Assert.True(ids.Contains((q.Lang, id)), $"{q.Id}: no {q.Lang} entry '{id}'"));
        });
    }

    [Fact]
    public void Question_ids_and_texts_are_unique()
    {
        Assert.Equal(Questions.Count, Questions.Select(q => q.Id).Distinct().Count());
        var duplicates = Questions.GroupBy(q => Normalize(q.Question)).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(duplicates);
    }

    [Fact]
    public void Chinese_questions_are_written_in_Chinese_and_English_ones_are_not()
    {
        Assert.All(Questions, q => Assert.Equal(q.Lang == "zh", q.Question.Any(c => c is >= '\u4E00' and <= '\u9FFF')));
    }

    [Fact]
    public void The_split_is_the_documented_seeded_30_70_split()
    {
        foreach (var stratum in Questions.GroupBy(q => (q.Lang, q.IsHandoff)))
        {
            var ordered = stratum.OrderBy(q => SplitKey(q.Id), StringComparer.Ordinal).ToList();
            int dev = (ordered.Count * 3 + 5) / 10; // 30 %, rounded half up
            for (int i = 0; i < ordered.Count; i++)
                Assert.True(ordered[i].Split == (i < dev ? "dev" : "test"), $"{ordered[i].Id}: split '{ordered[i].Split}' is not what the rule gives");
            double share = (double)stratum.Count(q => q.Split == "dev") / stratum.Count();
            Assert.InRange(share, 0.25, 0.35);
        }
    }

    [Theory]
    [InlineData("en")]
    [InlineData("zh")]
    public void Test_questions_paraphrase_their_entry_titles(string lang)
    {
        var titles = Entries.Where(e => e.Lang == lang).ToDictionary(e => e.Id, e => Words(lang, e.Question));
        var test = Questions.Where(q => q.Lang == lang && !q.IsHandoff && q.Split == "test").ToList();
        // Against the closest of its labelled entries, so a question with several labels is not let off lightly.
        double mean = test.Average(q => q.Answers!.Max(id => Jaccard(Words(lang, q.Question), titles[id])));
        Assert.True(mean <= MaxMeanTitleJaccard, $"{lang}: mean word Jaccard with the entry title is {mean:F3}");
    }

    [Theory]
    [InlineData("en", "please help: ")]
    [InlineData("zh", "请帮忙：")]
    public void The_overlap_measure_catches_a_copied_title(string lang, string prefix)
    {
        // Questions made by copying the titles would fail the paraphrase test: the measure is not blind to them
        // (as it would be with an empty tokenisation or a stemmer that treated the two sides differently).
        var titles = Entries.Where(e => e.Lang == lang).Select(e => e.Question).ToList();
        double mean = titles.Average(t => Jaccard(Words(lang, prefix + t), Words(lang, t)));
        Assert.True(mean > MaxMeanTitleJaccard, $"{lang}: copied titles score only {mean:F3}");
    }

    private static string SplitKey(string id) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(SplitSeed + id)));

    /// <summary>English: lower-case, stop words removed, Porter-stemmed; Chinese: jieba words without stop words and
    /// punctuation, Latin words lower-cased.</summary>
    private static HashSet<string> Words(string lang, string text) =>
        (lang == "en" ? new EnglishTokenizer(stem: true, removeStopWords: true).Tokenize(text) : new ChineseSegmenter(removeStopWords: true).Segment(text))
        .Select(w => w.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);

    private static double Jaccard(HashSet<string> a, HashSet<string> b)
    {
        int union = a.Union(b).Count();
        return union == 0 ? 0 : (double)a.Intersect(b).Count() / union;
    }

    private static string Normalize(string question) => string.Join(' ', question.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
