namespace Myna.Text.Tokenization;

/// <summary>A tokenizer file that is missing, malformed or of a kind Myna does not support; the message names the file.</summary>
public sealed class TokenizerFormatException(string message, Exception? inner = null) : Exception(message, inner);
