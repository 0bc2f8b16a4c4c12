namespace Myna.Text.Corpus;

/// <summary>
/// The inputs of a command that turns documents into something (a prepared corpus, a tokenizer, token shards) held no
/// document it could read: every file was skipped, or none was found. Such a run would succeed with an empty output,
/// which the next step then fails on far from the cause, so it stops here and says what was wrong with the input.
/// </summary>
public static class EmptyCorpus
{
    /// <summary>The refusal for <paramref name="inputs"/>, with how many files or records were skipped and the first reason.</summary>
    public static InvalidDataException Refusal(IReadOnlyCollection<string> inputs, long skipped, SkippedInput? firstSkip)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        string named = string.Join(", ", inputs.Take(3).Select(i => $"'{i}'")) + (inputs.Count > 3 ? $" and {inputs.Count - 3} more" : "");
        string why = skipped == 0 || firstSkip is null
            ? "no readable file was found there"
            : $"{skipped:N0} file(s) or record(s) were skipped, the first '{firstSkip.Source}'{(firstSkip.Line > 0 ? $" line {firstSkip.Line}" : "")}: {firstSkip.Reason}";
        return new InvalidDataException($"no document was read from {named}: {why}. Give text files ({FileFormats.SupportedExtensions}, each optionally gzipped) or folders holding them.");
    }
}
