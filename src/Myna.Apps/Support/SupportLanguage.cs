using Myna.Text.Cleaning;

namespace Myna.Apps.Support;

/// <summary>The assistant's two languages, and which one a user message is written in.</summary>
public static class SupportLanguage
{
    /// <summary>English.</summary>
    public const string English = "en";

    /// <summary>Chinese (simplified).</summary>
    public const string Chinese = "zh";

    /// <summary>Whether <paramref name="lang"/> is one of the two languages.</summary>
    public static bool IsSupported(string? lang) => lang is English or Chinese;

    /// <summary>The other language of the two.</summary>
    public static string Other(string lang) => lang == Chinese ? English : Chinese;

    /// <summary>
    /// <c>zh</c> when <see cref="LanguageId"/> finds the message Chinese (Han script, which tolerates the Latin command
    /// names Chinese questions carry: "apt-get 怎么用"), else <c>en</c>: the FAQ has no third language, and English is
    /// the better guess for a message in none of them.
    /// </summary>
    public static string Detect(string message) => LanguageId.Detect(message) == "zh" ? Chinese : English;
}
