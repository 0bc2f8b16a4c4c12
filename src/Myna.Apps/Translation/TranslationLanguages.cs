namespace Myna.Apps.Translation;

/// <summary>The one language pair Myna translates, and the codes accepted for it (BCP 47, case-insensitive).</summary>
public static class TranslationLanguages
{
    /// <summary>The source language's code in results.</summary>
    public const string Source = "en";

    /// <summary>The target language's code in results.</summary>
    public const string Target = "zh-CN";

    private static readonly HashSet<string> SourceCodes = new(["en", "en-us", "en-gb", "eng"], StringComparer.OrdinalIgnoreCase);
    private static readonly HashSet<string> TargetCodes = new(["zh-cn", "zh", "zh-hans", "zh-hans-cn", "zh_cn", "zho", "chi"], StringComparer.OrdinalIgnoreCase);

    /// <summary>Null when <paramref name="source"/> → <paramref name="target"/> is the supported pair (either may be null,
    /// meaning the default); otherwise the reason, naming the supported pair.</summary>
    public static string? Refusal(string? source, string? target)
    {
        bool sourceOk = source is null || SourceCodes.Contains(source.Trim());
        bool targetOk = target is null || TargetCodes.Contains(target.Trim());
        if (sourceOk && targetOk) return null;
        return $"unsupported language pair '{source ?? Source}' → '{target ?? Target}': Myna translates {Source} → {Target} only.";
    }
}
