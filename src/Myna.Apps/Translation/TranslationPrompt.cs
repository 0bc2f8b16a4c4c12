namespace Myna.Apps.Translation;

/// <summary>
/// The one text layout of an example, for training and decoding alike: <c>English: {source}\nChinese: {target}</c>,
/// each example preceded and followed by end-of-text (the shard builder puts one before every document). Line breaks
/// inside a side are folded to spaces, so the newline after the target can end a translation.
/// </summary>
public static class TranslationPrompt
{
    /// <summary>What precedes the English text.</summary>
    public const string SourcePrefix = "English: ";

    /// <summary>What follows the English text; the model writes the Chinese after it (with a leading space, as in training).</summary>
    public const string TargetPrefix = "\nChinese:";

    /// <summary>The training document for a pair (without the end-of-text separators).</summary>
    public static string Example(string source, string target) => Prompt(source) + " " + OneLine(target);

    /// <summary>The prompt a translation continues.</summary>
    public static string Prompt(string source) => SourcePrefix + OneLine(source) + TargetPrefix;

    /// <summary><paramref name="text"/> with each run of white space (line breaks included) as one space, trimmed.</summary>
    public static string OneLine(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
