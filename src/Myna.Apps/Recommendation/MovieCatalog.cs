using System.Globalization;
using System.Text;

namespace Myna.Apps.Recommendation;

/// <summary>Movie titles by id, from MovieLens's <c>movies.csv</c> (<c>movieId,title,genres</c>, titles quoted when they
/// hold commas) or ML-1M's <c>movies.dat</c> (<c>MovieID::Title::Genres</c>, Latin-1).</summary>
public sealed class MovieCatalog
{
    /// <summary>ml-latest-small's movies file name.</summary>
    public const string CsvFileName = "movies.csv";

    /// <summary>ML-1M's movies file name.</summary>
    public const string DatFileName = "movies.dat";

    private readonly Dictionary<int, string> _titles;

    private MovieCatalog(Dictionary<int, string> titles) => _titles = titles;

    /// <summary>A catalogue without titles (items are shown by id).</summary>
    public static MovieCatalog Empty { get; } = new([]);

    /// <summary>Number of titled movies.</summary>
    public int Count => _titles.Count;

    /// <summary>The title of <paramref name="movieId"/>, or null when the catalogue has none.</summary>
    public string? TitleOf(int movieId) => _titles.GetValueOrDefault(movieId);

    /// <summary>The movies file beside a ratings file or in a folder; <see cref="Empty"/> when there is none.</summary>
    /// <exception cref="InvalidDataException">A movies file exists but a row is malformed.</exception>
    public static MovieCatalog NextTo(string ratingsPath)
    {
        string folder = Directory.Exists(ratingsPath) ? ratingsPath : Path.GetDirectoryName(Path.GetFullPath(ratingsPath))!;
        string csv = Path.Combine(folder, CsvFileName), dat = Path.Combine(folder, DatFileName);
        return File.Exists(csv) ? ReadCsv(csv) : File.Exists(dat) ? ReadDat(dat) : Empty;
    }

    /// <summary>Reads movies.csv.</summary>
    /// <exception cref="InvalidDataException">The header or a row is malformed (file and line named).</exception>
    public static MovieCatalog ReadCsv(string path)
    {
        var titles = new Dictionary<int, string>();
        long lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (lineNumber == 1)
            {
                if (!line.StartsWith("movieId,title", StringComparison.Ordinal))
                    throw new InvalidDataException($"{path}: line 1 should be the MovieLens header 'movieId,title,genres'.");
                continue;
            }
            if (line.Length == 0) continue;
            int comma = line.IndexOf(',');
            if (comma < 0 || !int.TryParse(line.AsSpan(0, comma), NumberStyles.None, CultureInfo.InvariantCulture, out int id))
                throw new InvalidDataException($"{path}: line {lineNumber}: expected 'movieId,title,genres' with an integer id.");
            titles[id] = FirstCsvField(line.AsSpan(comma + 1), path, lineNumber);
        }
        return new MovieCatalog(titles);
    }

    /// <summary>Reads ML-1M's movies.dat (Latin-1, as GroupLens ships it).</summary>
    /// <exception cref="InvalidDataException">A row is malformed (file and line named).</exception>
    public static MovieCatalog ReadDat(string path)
    {
        var titles = new Dictionary<int, string>();
        long lineNumber = 0;
        foreach (string line in File.ReadLines(path, Encoding.Latin1))
        {
            lineNumber++;
            if (line.Length == 0) continue;
            string[] fields = line.Split("::");
            if (fields.Length != 3 || !int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out int id))
                throw new InvalidDataException($"{path}: line {lineNumber}: expected 'MovieID::Title::Genres'.");
            titles[id] = fields[1];
        }
        return new MovieCatalog(titles);
    }

    /// <summary>The first field of a CSV remainder: quoted (doubled quotes inside) or up to the next comma.</summary>
    private static string FirstCsvField(ReadOnlySpan<char> rest, string path, long lineNumber)
    {
        if (rest.Length == 0 || rest[0] != '"')
        {
            int end = rest.LastIndexOf(','); // the genres never hold commas; the title ends at the last one
            return (end < 0 ? rest : rest[..end]).ToString();
        }
        var title = new StringBuilder();
        for (int i = 1; i < rest.Length; i++)
        {
            if (rest[i] != '"')
            {
                title.Append(rest[i]);
                continue;
            }
            if (i + 1 < rest.Length && rest[i + 1] == '"')
            {
                title.Append('"');
                i++;
                continue;
            }
            return title.ToString();
        }
        throw new InvalidDataException($"{path}: line {lineNumber}: the quoted title is not closed.");
    }
}
