using System.Globalization;

namespace Myna.Apps.Recommendation;

/// <summary>
/// Reads MovieLens ratings: ml-latest-small's <c>ratings.csv</c> (header <c>userId,movieId,rating,timestamp</c>) and
/// ML-1M's <c>ratings.dat</c> (<c>UserID::MovieID::Rating::Timestamp</c>, no header). A malformed row is an error naming
/// the file and line, or, with <see cref="MalformedRows.Drop"/>, counted and reported in the log.
/// </summary>
public static class RatingsReader
{
    /// <summary>ml-latest-small's ratings file name.</summary>
    public const string CsvFileName = "ratings.csv";

    /// <summary>ML-1M's ratings file name.</summary>
    public const string DatFileName = "ratings.dat";

    /// <summary>Reads <paramref name="path"/>: a ratings file (.csv or .dat by its extension) or a folder holding one
    /// (ratings.csv preferred).</summary>
    /// <exception cref="FileNotFoundException">No ratings file is there.</exception>
    /// <exception cref="InvalidDataException">A malformed row (with <see cref="MalformedRows.Fail"/>), or no rows at all.</exception>
    public static InteractionLog Read(string path, MalformedRows malformed = MalformedRows.Fail)
    {
        string file = Locate(path);
        return file.EndsWith(".dat", StringComparison.OrdinalIgnoreCase) ? ReadDat(file, malformed) : ReadCsv(file, malformed);
    }

    /// <summary>The ratings file <paramref name="path"/> names: itself, or ratings.csv / ratings.dat inside a folder.</summary>
    /// <exception cref="FileNotFoundException">Neither exists.</exception>
    public static string Locate(string path)
    {
        if (File.Exists(path)) return path;
        if (Directory.Exists(path))
        {
            foreach (string name in (string[])[CsvFileName, DatFileName])
            {
                string candidate = Path.Combine(path, name);
                if (File.Exists(candidate)) return candidate;
            }
            throw new FileNotFoundException($"'{path}' holds neither {CsvFileName} (ml-latest-small) nor {DatFileName} (ML-1M).");
        }
        throw new FileNotFoundException($"'{path}' does not exist: give a ratings.csv, a ratings.dat or the folder holding one.");
    }

    /// <summary>Reads ml-latest-small's layout: a header, then <c>userId,movieId,rating,timestamp</c> rows.</summary>
    /// <exception cref="InvalidDataException">The header is not MovieLens's, a row is malformed (with <see cref="MalformedRows.Fail"/>), or there are no rows.</exception>
    public static InteractionLog ReadCsv(string path, MalformedRows malformed = MalformedRows.Fail)
    {
        using var reader = new StreamReader(path);
        string? header = reader.ReadLine();
        if (header is null || !header.TrimEnd('\r').StartsWith("userId,movieId,rating,timestamp", StringComparison.Ordinal))
            throw new InvalidDataException($"{path}: line 1 should be the MovieLens header 'userId,movieId,rating,timestamp'; it is '{Clip(header)}'.");
        return ReadRows(path, reader, firstLine: 2, ",", malformed);
    }

    /// <summary>Reads ML-1M's layout: <c>UserID::MovieID::Rating::Timestamp</c> rows, no header.</summary>
    /// <exception cref="InvalidDataException">A row is malformed (with <see cref="MalformedRows.Fail"/>), or there are no rows.</exception>
    public static InteractionLog ReadDat(string path, MalformedRows malformed = MalformedRows.Fail)
    {
        using var reader = new StreamReader(path);
        return ReadRows(path, reader, firstLine: 1, "::", malformed);
    }

    private static InteractionLog ReadRows(string path, TextReader reader, long firstLine, string separator, MalformedRows malformed)
    {
        var interactions = new List<Interaction>();
        var droppedLines = new List<long>();
        long dropped = 0;
        long lineNumber = firstLine - 1;
        while (reader.ReadLine() is string line)
        {
            lineNumber++;
            if (line.Length == 0 || line == "\r") continue; // a trailing blank line is not a row
            if (TryParse(line.TrimEnd('\r'), separator, out Interaction interaction, out string? problem))
            {
                interactions.Add(interaction);
                continue;
            }
            if (malformed == MalformedRows.Fail)
                throw new InvalidDataException($"{path}: line {lineNumber}: {problem} ('{Clip(line)}'); fix the row, or drop malformed rows (counted and reported).");
            dropped++;
            if (droppedLines.Count < InteractionLog.DroppedLinesKept) droppedLines.Add(lineNumber);
        }
        if (interactions.Count == 0) throw new InvalidDataException($"{path}: no ratings rows.");
        return new InteractionLog(path, interactions, dropped, droppedLines);
    }

    private static bool TryParse(string line, string separator, out Interaction interaction, out string? problem)
    {
        interaction = default;
        string[] fields = line.Split(separator);
        if (fields.Length != 4)
        {
            problem = $"expected 4 fields separated by '{separator}', found {fields.Length}";
            return false;
        }
        if (!int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out int user)) problem = $"user id '{fields[0]}' is not a non-negative integer";
        else if (!int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out int item)) problem = $"movie id '{fields[1]}' is not a non-negative integer";
        else if (!double.TryParse(fields[2], NumberStyles.Float, CultureInfo.InvariantCulture, out double rating) || !double.IsFinite(rating)) problem = $"rating '{fields[2]}' is not a number";
        else if (!long.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out long timestamp)) problem = $"timestamp '{fields[3]}' is not a non-negative integer";
        else
        {
            interaction = new Interaction(user, item, timestamp);
            problem = null;
            return true;
        }
        return false;
    }

    private static string Clip(string? line) => line is null ? "" : line.Length <= 80 ? line.TrimEnd('\r') : line[..80] + "…";
}
