namespace Myna.Training;

/// <summary>Options that cannot run, or data that does not fit them; the message says why and what to change.</summary>
public sealed class TrainingOptionsException(string message) : Exception(message);
