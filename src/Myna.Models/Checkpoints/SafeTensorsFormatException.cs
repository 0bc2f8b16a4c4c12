namespace Myna.Models.Checkpoints;

/// <summary>A safetensors file that is truncated, malformed or inconsistent; the message names the file and tensor.</summary>
public sealed class SafeTensorsFormatException(string message, Exception? inner = null) : Exception(message, inner);
