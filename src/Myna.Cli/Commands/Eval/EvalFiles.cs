namespace Myna.Cli.Commands.Eval;

/// <summary>Reading the line-aligned text files that the eval commands score: one segment per line.</summary>
internal static class EvalFiles
{
    /// <summary>
    /// The lines of a UTF-8 file, split on '\n' as sacreBLEU reads them (a final newline ends the last line
    /// rather than starting an empty one; a trailing '\r' is kept here and removed by the metrics' own
    /// stripping). <paramref name="role"/> names the file in errors ("--hyp").
    /// </summary>
    /// <exception cref="CliException">Missing, unreadable, empty or not UTF-8.</exception>
    public static string[] ReadLines(FileInfo file, string role)
    {
        byte[] bytes;
        if (Directory.Exists(file.FullName)) throw new CliException($"{role} '{file}' is a folder; give a text file with one segment per line.");
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

        string text = Utf8Text.Decode(bytes, replaceInvalid: false, $"{role} file '{file}'", hint: "");
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

    /// <summary>The examples of a JSONL task file (see <see cref="Myna.Evaluation.Tasks.TaskExample.ReadFile"/>).</summary>
    /// <exception cref="CliException">The file is missing or a line is malformed (the message names the line).</exception>
    public static IReadOnlyList<Myna.Evaluation.Tasks.TaskExample> ReadTask(string path)
    {
        if (!File.Exists(path)) throw new CliException($"--task '{path}' does not exist.");
        try
        {
            return Myna.Evaluation.Tasks.TaskExample.ReadFile(path);
        }
        catch (FormatException ex)
        {
            throw new CliException(ex.Message);
        }
    }
}
