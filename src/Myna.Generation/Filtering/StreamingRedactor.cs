using System.Text;
using Myna.Text.Privacy;

namespace Myna.Generation.Filtering;

/// <summary>
/// <see cref="PiiRedactor"/> over text that arrives in pieces: each piece is held until it ends at a point no
/// detected item can span, then released redacted, so a secret split over several tokens is never let out in part.
/// </summary>
/// <remarks>
/// <para>
/// The detectors' matches (e-mail addresses, URLs, IP addresses, card, identity and phone numbers) never contain a line
/// break or a tab, and contain a space only between digits or parentheses ("+1 (415) 555 0132", "4111 1111 1111 1111").
/// So text is released up to the last whitespace after which no match can continue: a line break or tab, or a space
/// whose neighbours are not both digit-like. Until such a point arrives the text waits, however long (a run of text
/// without spaces, a long URL), as text that could start a stop sequence waits.
/// </para>
/// <para>
/// Each released piece is redacted with up to <see cref="ContextCharacters"/> of the text before it as context (the
/// detectors look behind a match, such as "version 1.2.3.4"); matches inside that context were released before. The
/// whole text is the concatenation of the pieces, so a stream and a whole answer agree.
/// </para>
/// </remarks>
public sealed class StreamingRedactor
{
    /// <summary>Text before a piece the detectors see: the longest look-behind they use (an IP's 40-character context) with room to spare.</summary>
    public const int ContextCharacters = 64;

    private static readonly PiiRedactor Redactor = new();
    private readonly StringBuilder _pending = new();
    private string _context = string.Empty;

    /// <summary>Characters received and not yet released.</summary>
    public int Pending => _pending.Length;

    /// <summary>
    /// Takes the next piece of text and returns the redacted text that is now safe to release (possibly empty); with
    /// <paramref name="final"/>, the text has ended and everything is released.
    /// </summary>
    public string Push(string text, bool final)
    {
        ArgumentNullException.ThrowIfNull(text);
        _pending.Append(text);
        int cut = final ? _pending.Length : LastSafeCut(_pending);
        if (cut == 0) return string.Empty;
        string piece = _pending.ToString(0, cut);
        _pending.Remove(0, cut);
        string window = _context + piece;
        RedactionResult result = Redactor.Redact(window);
        var output = new StringBuilder(piece.Length);
        int at = _context.Length;
        foreach (PiiMatch match in result.Matches.OrderBy(m => m.Start))
        {
            // Matches inside the context were decided when it was released; none can cross into the piece (see remarks).
            if (match.Start < _context.Length) continue;
            output.Append(window, at, match.Start - at).Append(match.Type.Placeholder());
            at = match.Start + match.Length;
        }
        output.Append(window, at, window.Length - at);
        _context = window.Length <= ContextCharacters ? window : window[^ContextCharacters..];
        return output.ToString();
    }

    /// <summary>The end of the longest prefix of <paramref name="text"/> that no match can extend past; 0 when none.</summary>
    internal static int LastSafeCut(StringBuilder text)
    {
        for (int p = text.Length; p > 0; p--)
        {
            char c = text[p - 1];
            if (!char.IsWhiteSpace(c)) continue;
            if (c != ' ') return p;
            // A space joins a match only between digit-like characters: "415 555", "(415) 555", "+1 (415)".
            bool before = p >= 2 && IsDigitLike(text[p - 2]);
            if (!before) return p;
            if (p < text.Length && !IsDigitLike(text[p])) return p;
        }
        return 0;
    }

    private static bool IsDigitLike(char c) => char.IsAsciiDigit(c) || c is '(' or ')' or '+';
}
