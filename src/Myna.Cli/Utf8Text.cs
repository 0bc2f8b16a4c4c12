using System.Text;

namespace Myna.Cli;

/// <summary>Strict UTF-8 decoding of user files: broken bytes are an error naming their offset, or U+FFFD when asked.</summary>
internal static class Utf8Text
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static string Quote(string source) => source.Contains('\'') ? source : $"'{source}'";

    /// <summary>The hint for commands that have a --replace-invalid flag.</summary>
    public const string ReplaceInvalidHint = "; pass --replace-invalid to read broken bytes as U+FFFD";

    private static readonly UTF8Encoding Lenient = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>Text of <paramref name="bytes"/> (a leading byte-order mark is dropped).</summary>
    /// <param name="bytes">File contents.</param>
    /// <param name="replaceInvalid">Turn broken bytes into U+FFFD instead of failing.</param>
    /// <param name="source">How the error names the file, e.g. "'notes.txt'".</param>
    /// <param name="hint">What the error tells the user to do; null for re-encoding advice. Only commands that have a
    /// --replace-invalid flag may name it (<see cref="ReplaceInvalidHint"/>).</param>
    /// <exception cref="CliException">The bytes are not UTF-8 and <paramref name="replaceInvalid"/> is off.</exception>
    public static string Decode(byte[] bytes, bool replaceInvalid, string source, string? hint = null)
    {
        int start = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        if (replaceInvalid) return Lenient.GetString(bytes, start, bytes.Length - start);
        try
        {
            return Strict.GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException ex)
        {
            throw new CliException($"{Quote(source)} is not valid UTF-8 at byte {start + ex.Index}{(hint ?? "; convert it to UTF-8 first (for example: iconv -f latin1 -t utf-8 FILE > FILE.utf8)")}.");
        }
    }
}
