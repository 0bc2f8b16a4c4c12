namespace Myna.Apps.Recommendation;

/// <summary>Which held-out item is predicted: the second-last (validation) or the last (test).</summary>
public enum EvaluationSplit
{
    /// <summary>The second-last item, from the training part.</summary>
    Validation,

    /// <summary>The last item, from everything before it.</summary>
    Test,
}
