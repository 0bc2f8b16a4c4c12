namespace Myna.Training;

/// <summary>Options that cannot run, or data that does not fit them; the message says why and what to change.</summary>
/// <param name="message">The reason, and what to change.</param>
/// <param name="isUsage">True when the options themselves are invalid (a bad value or combination), false when the data, model or files are the problem.</param>
public sealed class TrainingOptionsException(string message, bool isUsage = false) : Exception(message)
{
    /// <summary>True when the options themselves are invalid, not the files they point at.</summary>
    public bool IsUsage { get; } = isUsage;
}
