using System.Text.Json;

namespace Myna.Apps.Translation;

/// <summary>The committed parallel text under <c>data/apps/translate/</c> (made by <c>recipes/apps-data.sh translate</c>;
/// see <c>data/apps/SOURCES.md</c>): Debian Reference and Debian FAQ paragraphs, LibreOffice UI messages.</summary>
public sealed class TranslationData
{
    /// <summary>The folder, relative to the repository root.</summary>
    public const string FolderPath = "data/apps/translate";

    /// <summary>Origin name and file stem of the Debian Reference paragraphs.</summary>
    public const string Reference = "reference";

    /// <summary>Origin name and file stem of the Debian FAQ paragraphs.</summary>
    public const string Faq = "faq";

    /// <summary>Origin name and file stem of the LibreOffice messages.</summary>
    public const string LibreOffice = "libreoffice";

    private TranslationData(IReadOnlyList<TranslationPair> reference, IReadOnlyList<TranslationPair> faq, IReadOnlyList<TranslationPair> libreOffice)
    {
        ReferencePairs = reference;
        FaqPairs = faq;
        LibreOfficePairs = libreOffice;
    }

    /// <summary>Debian Reference paragraph pairs, in file order.</summary>
    public IReadOnlyList<TranslationPair> ReferencePairs { get; }

    /// <summary>Debian FAQ paragraph pairs, in file order.</summary>
    public IReadOnlyList<TranslationPair> FaqPairs { get; }

    /// <summary>LibreOffice msgid → msgstr pairs, in file order.</summary>
    public IReadOnlyList<TranslationPair> LibreOfficePairs { get; }

    /// <summary>Reads <c>reference.jsonl</c>, <c>faq.jsonl</c> and <c>libreoffice.jsonl</c> from <paramref name="folder"/>.</summary>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">A line is not a JSON object with string fields id, en and zh.</exception>
    public static TranslationData Load(string folder) =>
        new(Read(folder, Reference), Read(folder, Faq), Read(folder, LibreOffice));

    /// <summary>The committed folder, found from the working directory or beside the program and upwards.</summary>
    /// <exception cref="DirectoryNotFoundException">No such folder was found.</exception>
    public static string FindFolder() => RepositoryFolder.Find(FolderPath, Faq + ".jsonl")
        ?? throw new DirectoryNotFoundException($"{FolderPath} was not found here, beside the program or above; run from the repository or pass --data FOLDER.");

    /// <summary>The pairs of one file (<paramref name="stem"/>.jsonl); blank lines are skipped.</summary>
    public static IReadOnlyList<TranslationPair> Read(string folder, string stem)
    {
        string path = Path.Combine(folder, stem + ".jsonl");
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} is missing (made by `bash recipes/apps-data.sh translate`).", path);
        var pairs = new List<TranslationPair>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                using JsonDocument document = JsonDocument.Parse(line);
                JsonElement e = document.RootElement;
                pairs.Add(new TranslationPair(Field(e, "id"), Field(e, "en"), Field(e, "zh"), stem));
            }
            catch (Exception ex) when (ex is JsonException or InvalidDataException)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: {ex.Message}", ex);
            }
        }
        return pairs;
    }

    private static string Field(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object) throw new InvalidDataException("expected a JSON object.");
        if (!element.TryGetProperty(name, out JsonElement value) || value.ValueKind != JsonValueKind.String)
            throw new InvalidDataException($"field '{name}' must be a string.");
        return value.GetString()!;
    }
}
