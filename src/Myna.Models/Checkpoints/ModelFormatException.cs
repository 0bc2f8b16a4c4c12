namespace Myna.Models.Checkpoints;

/// <summary>A model directory or file that is missing, malformed or unsupported; the message names the file and the part.</summary>
public sealed class ModelFormatException(string message, Exception? inner = null) : Exception(message, inner);
