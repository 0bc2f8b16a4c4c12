using Myna.Evaluation.Rouge;
using static Myna.Tests.Evaluation.EvaluationPeerCases;

namespace Myna.Tests.Evaluation.Rouge;

/// <summary>rouge-score's own test cases (rouge_scorer_test.py and its testdata) through the library API.</summary>
public class RougePeerCaseTests
{
    public static TheoryData<RougeCase> Cases() => [.. RougeCases()];

    [Fact]
    public void AllCasesAreLoaded() => Assert.Equal(23, RougeCases().Count());

    [Theory]
    [MemberData(nameof(Cases))]
    public void ScoresMatchRougeScore(RougeCase c)
    {
        var scorer = new RougeScorer(new RougeOptions { Types = c.Types, UseStemmer = c.Stemmer });
        Assert.Equal(c.Expected.Length, c.Targets.Length);
        for (int line = 0; line < c.Targets.Length; line++)
        {
            IReadOnlyDictionary<string, RougeScore> scores = scorer.Score(c.Targets[line], c.Predictions[line]);
            AssertExpected(c, line, scores);
        }
    }

    internal static void AssertExpected(RougeCase c, int line, IReadOnlyDictionary<string, RougeScore> scores)
    {
        foreach ((string type, Dictionary<string, double> measures) in c.Expected[line])
        {
            RougeScore score = scores[type];
            foreach ((string measure, double expected) in measures)
            {
                double actual = measure switch
                {
                    "precision" => score.Precision,
                    "recall" => score.Recall,
                    "fmeasure" => score.FMeasure,
                    _ => throw new InvalidOperationException($"unknown measure {measure}"),
                };
                Assert.True(Math.Abs(actual - expected) <= c.Tolerance,
                    $"{c.Id} line {line} {type}.{measure}: expected {expected}, got {actual}");
            }
        }
    }
}
