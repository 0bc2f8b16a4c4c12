namespace Myna.Apps.Support;

/// <summary>One value for each of the assistant's languages: the two indexes differ (jieba words and character pairs
/// against stemmed English words), so their settings and score scales do too.</summary>
/// <param name="English">The value for <c>en</c>.</param>
/// <param name="Chinese">The value for <c>zh</c>.</param>
public sealed record PerLanguage<T>(T English, T Chinese)
{
    /// <summary>The same value for both languages.</summary>
    public static PerLanguage<T> Both(T value) => new(value, value);

    /// <summary>The value for <paramref name="lang"/> (English for anything but <c>zh</c>).</summary>
    public T For(string lang) => lang == SupportLanguage.Chinese ? Chinese : English;
}
