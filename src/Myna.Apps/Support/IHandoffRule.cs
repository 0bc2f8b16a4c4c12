namespace Myna.Apps.Support;

/// <summary>Decides, from how sure retrieval is, whether a question goes to a person instead of being answered.</summary>
public interface IHandoffRule
{
    /// <summary>Whether a result with <paramref name="confidence"/> (and <paramref name="matches"/> ranked entries) is handed off.</summary>
    bool ShouldHandOff(SupportConfidence confidence, int matches);
}
