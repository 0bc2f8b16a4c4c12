using System.Text;

namespace Myna.Cli.Commands.Eval;

/// <summary>Reading the line-aligned text files that the eval commands score: one segment per line.</summary>
internal static class EvalFiles
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The lines of a UTF-8 file, split on '\n' as sacreBLEU reads them (a final newline ends the last line
    /// rather than starting an empty one; a trailing '\r' is kept here and removed by the metrics' own
    /// stripping). <paramref name="role"/> names the file in errors ("--hyp").
    /// </summary>
    /// <exception cref="CliException">Missing, unreadable, empty or not UTF-8.</exception>
    public static string[] ReadLines(FileInfo file, string role)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file.FullName);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CliException($"{role} file '{file}' does not exist.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read {role} file '{file}': {ex.Message}");
        }
        if (bytes.Length == 0) throw new CliException($"{role} file '{file}' is empty: give one segment per line.");

        int start = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        string text;
        try
        {
            text = Strict.GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException ex)
        {
            throw new CliException($"{role} file '{file}' is not valid UTF-8 at byte {start + ex.Index}.");
        }
        if (text.EndsWith('\n')) text = text[..^1];
        return text.Split('\n');
    }

    /// <summary>Stops with one line naming both files when their line counts differ.</summary>
    public static void RequireSameLength(string[] hypotheses, FileInfo hypFile, string[] references, FileInfo refFile)
    {
        if (hypotheses.Length != references.Length)
            throw new CliException(
                $"--hyp '{hypFile}' has {hypotheses.Length} lines but --ref '{refFile}' has {references.Length}; " +
                "every hypothesis line needs one reference line.");
    }
}
