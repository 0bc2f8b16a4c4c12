using System.Text.Json;
using Myna.Tests.Text;

namespace Myna.Tests.Apps.Translate;

/// <summary>The committed parallel text, data/apps/translate/*.jsonl (made by recipes/apps-data.sh translate):
/// every line a pair with both sides, ids unique, the sizes the extraction reports.</summary>
public sealed class TranslationPairsTests
{
    private static string Folder => Path.Combine(TempFolder.RepositoryRoot(), "data", "apps", "translate");

    [Theory]
    [InlineData("reference.jsonl", 2612)]
    [InlineData("faq.jsonl", 688)]
    [InlineData("libreoffice.jsonl", 28082)]
    public void Each_file_has_its_pairs_with_unique_ids(string file, int expected)
    {
        var rows = Rows(file);
        Assert.Equal(expected, rows.Count);
        Assert.Equal(rows.Count, rows.Select(r => r.Id).Distinct().Count());
        Assert.All(rows, r => Assert.True(r.En.Length > 0 && r.Zh.Length > 0, r.Id));
    }

    [Theory]
    [InlineData("reference.jsonl")]
    [InlineData("faq.jsonl")]
    public void Document_pairs_are_translated_into_Chinese(string file)
    {
        // Position alignment keeps untranslated paragraphs out and pairs real translations: nearly every Chinese side
        // has Chinese characters (a few are commands or names with a Chinese word or two around them).
        var rows = Rows(file);
        Assert.All(rows, r => Assert.NotEqual(r.En, r.Zh));
        double share = rows.Count(r => r.Zh.Any(c => c is >= '\u4E00' and <= '\u9FFF')) / (double)rows.Count;
        Assert.True(share > 0.95, $"{file}: only {share:P1} of the Chinese sides have Chinese characters");
    }

    [Fact]
    public void LibreOffice_contexts_are_split_off_the_source_text()
    {
        Assert.All(Rows("libreoffice.jsonl"), r => Assert.DoesNotContain('\u0004', r.En));
    }

    private sealed record Pair(string Id, string En, string Zh);

    private static List<Pair> Rows(string file) => File.ReadLines(Path.Combine(Folder, file)).Where(l => l.Length > 0).Select(line =>
    {
        using JsonDocument doc = JsonDocument.Parse(line);
        JsonElement e = doc.RootElement;
        return new Pair(e.GetProperty("id").GetString()!, e.GetProperty("en").GetString()!, e.GetProperty("zh").GetString()!);
    }).ToList();
}
