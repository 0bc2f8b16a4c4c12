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
    /// <c>zh</c> when the message has a Han character, else <c>en</c>. Stricter tests (<see cref="LanguageId"/> asks for
    /// 30% Han letters) misread Chinese questions that are mostly command and package names ("sid 里的 systemd
    /// 版本比 stable 新吗"), and an English speaker seldom types Han characters; a message in neither language is
    /// answered in English, the better guess.
    /// </summary>
    public static string Detect(string message) => message.Any(LanguageId.IsHan) ? Chinese : English;
}
