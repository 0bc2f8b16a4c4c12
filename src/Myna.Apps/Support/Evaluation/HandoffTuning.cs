namespace Myna.Apps.Support.Evaluation;

/// <summary>
/// Chooses hand-off thresholds on labelled (dev) questions: every pair of candidate thresholds — the midpoints
/// between neighbouring observed values of the best score and of the coverage, and the lowest value (no hand-off by
/// that measure) — is tried, and the pair with the highest hand-off F1 wins (the target measure: hand off what is out
/// of scope, answer what is not); ties go to the higher correct-action rate, then to the first pair tried (lower thresholds).
/// </summary>
public static class HandoffTuning
{
    /// <summary>A policy that hands off only when nothing matched: what tuning observes systems with.</summary>
    public static HandoffPolicy Never { get; } = new(double.NegativeInfinity, double.NegativeInfinity);

    /// <summary>The best thresholds for <paramref name="observed"/>, each question answered under <see cref="Never"/>.</summary>
    /// <exception cref="ArgumentException">There are no observations.</exception>
    public static TunedHandoff Tune(IReadOnlyList<(SupportQuestion Question, SupportAnswer Answer)> observed)
    {
        ArgumentNullException.ThrowIfNull(observed);
        if (observed.Count == 0) throw new ArgumentException("no questions to tune on.");
        double[] scoreCandidates = Candidates(observed.Select(o => o.Answer.Confidence.Score));
        double[] coverageCandidates = Candidates(observed.Select(o => o.Answer.Confidence.Coverage));
        TunedHandoff? best = null;
        foreach (double minScore in scoreCandidates)
        {
            foreach (double minCoverage in coverageCandidates)
            {
                var policy = new HandoffPolicy(minScore, minCoverage);
                TunedHandoff tried = Measure(policy, observed);
                if (best is null || tried.HandoffF1 > best.HandoffF1
                    || tried.HandoffF1 == best.HandoffF1 && tried.CorrectActionRate > best.CorrectActionRate)
                    best = tried;
            }
        }
        return best!;
    }

    private static TunedHandoff Measure(HandoffPolicy policy, IReadOnlyList<(SupportQuestion Question, SupportAnswer Answer)> observed)
    {
        int correct = 0, handedOff = 0, rightHandoffs = 0, outOfScope = 0;
        foreach ((SupportQuestion question, SupportAnswer answer) in observed)
        {
            bool handoff = policy.ShouldHandOff(answer.Confidence, answer.Sources.Count);
            if (question.IsHandoff) outOfScope++;
            if (handoff) handedOff++;
            if (handoff && question.IsHandoff) rightHandoffs++;
            bool right = question.IsHandoff ? handoff : !handoff && answer.Sources.Count > 0 && question.Answers.Contains(answer.Sources[0].Id);
            if (right) correct++;
        }
        double precision = handedOff == 0 ? 0 : (double)rightHandoffs / handedOff;
        double recall = outOfScope == 0 ? 0 : (double)rightHandoffs / outOfScope;
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new TunedHandoff(policy, (double)correct / observed.Count, f1);
    }

    /// <summary>The lowest observed value and the midpoints between neighbouring distinct values.</summary>
    private static double[] Candidates(IEnumerable<double> values)
    {
        double[] distinct = [.. values.Distinct().Order()];
        var candidates = new List<double> { distinct[0] };
        for (int i = 1; i < distinct.Length; i++) candidates.Add((distinct[i - 1] + distinct[i]) / 2);
        return [.. candidates];
    }
}

