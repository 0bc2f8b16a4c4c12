using System.Buffers;

namespace Myna.Apps.Translation;

/// <summary>
/// Whether a UI message carries markup a translation must copy rather than translate: printf and LibreOffice
/// arguments (<c>%1</c>, <c>%s</c>, <c>%COLUMNNUMBER</c>), <c>$name$</c> variables, <c>~</c> accelerators, <c>{}</c>
/// fields, <c>&lt;tags&gt;</c>, <c>&amp;</c> entities and <c>#</c> numbers. A small model learns nothing useful from
/// such messages (their Chinese side moves the markup around), so training leaves them out.
/// </summary>
public static class MessagePlaceholders
{
    private static readonly SearchValues<char> Markers = SearchValues.Create("%$~{}<>&#");

    /// <summary>True when <paramref name="text"/> has any placeholder character.</summary>
    public static bool Contains(string text) => text.AsSpan().ContainsAny(Markers);
}
