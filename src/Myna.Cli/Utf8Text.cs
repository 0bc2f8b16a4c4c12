using System.Text;

namespace Myna.Cli;

/// <summary>Strict UTF-8 decoding of user files: broken bytes are an error naming their offset, or U+FFFD when asked.</summary>
internal static class Utf8Text
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly UTF8Encoding Lenient = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    public static string Decode(byte[] bytes, bool replaceInvalid, string source)
    {
        int start = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        if (replaceInvalid) return Lenient.GetString(bytes, start, bytes.Length - start);
        try
        {
            return Strict.GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException ex)
        {
            throw new CliException($"'{source}' is not valid UTF-8 at byte {start + ex.Index}; pass --replace-invalid to read broken bytes as U+FFFD.");
        }
    }
}
