using System.IO.Compression;
using System.Text;
using Parquet;
using Parquet.Schema;

namespace Myna.Tests.Text;

/// <summary>Builds a small corpus mixing every input format with duplicates, near duplicates, personal data,
/// boilerplate, junk and unreadable files; the expected outcome of each piece is known.</summary>
public static class MixedCorpus
{
    private static readonly string[] Topics =
    [
        "river", "market", "garden", "library", "harbour", "mountain", "kitchen", "orchestra", "railway", "festival",
        "workshop", "laboratory", "museum", "island", "bakery", "stadium", "vineyard", "observatory", "lighthouse", "factory",
    ];

    private static readonly string[] ZhTopics = ["长江", "图书馆", "火车站", "博物馆", "菜市场", "音乐会", "实验室", "体育场", "果园", "灯塔"];

    /// <summary>An English paragraph about topic <paramref name="i"/>, distinct from every other i.</summary>
    public static string English(int i)
    {
        string t = Topics[i % Topics.Length];
        return $"Story {i}: the {t} opened early on day {i * 3 + 1}. Visitors walked past the {t} and talked about " +
               $"weather, prices and the number {i * 17 + 5} that someone had painted on the wall. Later the {t} closed " +
               $"quietly while {i % 7 + 2} volunteers counted tickets and planned the next season of events.";
    }

    /// <summary>A Chinese paragraph about topic <paramref name="i"/>.</summary>
    public static string Chinese(int i)
    {
        string t = ZhTopics[i % ZhTopics.Length];
        return $"第{i}个故事：早上{t}开门了，游客们在{t}附近散步，聊着天气和价格。第{i * 3 + 1}天，{i % 5 + 2}位志愿者清点门票，" +
               $"并计划下一季的活动。大家都说{t}是城市里最安静的地方之一，编号{i * 11 + 7}。";
    }

    public const string Footer = "Copyright 2024 Example Media Ltd. All rights reserved.";

    /// <summary>Writes the corpus under <paramref name="root"/>; returns the expected counts.</summary>
    public static Expected Write(string root)
    {
        var e = new Expected();
        Directory.CreateDirectory(Path.Combine(root, "web"));

        // txt: 6 paragraphs (split mode), one of them an exact duplicate of jsonl doc 0 (case and spacing differ).
        var txt = new StringBuilder();
        for (int i = 0; i < 5; i++) txt.Append(English(i)).Append("\n\n");
        txt.Append(English(20).ToUpperInvariant().Replace(" ", "  ")).Append('\n');
        File.WriteAllText(Path.Combine(root, "stories.txt"), txt.ToString());
        e.Read += 6; e.Kept += 5; e.Exact += 1;

        // jsonl.gz: docs 20..29 (English), one with PII, plus a malformed line (a skipped record, not a document).
        var jsonl = new StringBuilder();
        for (int i = 20; i < 30; i++)
        {
            string text = i == 21 ? English(i) + " Contact alice@example.com or +1 (415) 555-0132." : English(i);
            jsonl.Append(System.Text.Json.JsonSerializer.Serialize(new { text, id = i })).Append('\n');
        }
        jsonl.Append("{broken json\n");
        using (var gz = new GZipStream(File.Create(Path.Combine(root, "dump.jsonl.gz")), CompressionLevel.Fastest))
            gz.Write(Encoding.UTF8.GetBytes(jsonl.ToString()));
        e.Read += 10; e.Kept += 10; e.RecordsSkipped += 1; e.Emails += 1; e.Phones += 1;

        // csv: Chinese docs 0..5, one near-duplicate of doc 0 (one character changed), one with a phone and a CN ID.
        var csv = new StringBuilder("id,text\n");
        for (int i = 0; i < 5; i++)
        {
            string text = i == 2 ? Chinese(i) + "联系电话13812345678，身份证11010519491231002X。" : Chinese(i);
            csv.Append(i).Append(",\"").Append(text.Replace("\"", "\"\"")).Append("\"\n");
        }
        csv.Append("9,\"").Append(Chinese(0).Replace("散步", "跑步")).Append("\"\n");
        File.WriteAllText(Path.Combine(root, "zh.csv"), csv.ToString());
        e.Read += 6; e.Kept += 5; e.Near += 1; e.Phones += 1; e.CnIds += 1;

        // html pages with a shared footer (boilerplate) and a script.
        for (int i = 40; i < 46; i++)
            File.WriteAllText(Path.Combine(root, "web", $"page{i}.html"),
                $"<html><head><script>track({i})</script></head><body><p>{English(i)}</p><footer><p>{Footer}</p></footer></body></html>");
        e.Read += 6; e.Kept += 6;

        // markdown: three blocks when split into paragraphs; the heading alone is too short.
        File.WriteAllText(Path.Combine(root, "web", "notes.md"), "# Notes\n\n" + English(50) + "\n\n- " + English(51) + "\n");
        e.Read += 3; e.Kept += 2; e.TooShort += 1;

        // parquet: 3 rows, one junk (symbols), one too short.
        string parquet = Path.Combine(root, "rows.parquet");
        var field = new DataField<string>("text");
        using (var stream = File.Create(parquet))
        {
            var writer = ParquetWriter.CreateAsync(new ParquetSchema(field), stream).GetAwaiter().GetResult();
            using (var group = writer.CreateRowGroup())
                group.WriteAsync(field, new[] { English(60), "### ||| {{ }} <<>> ### ||| == ~~ ^^ ** @@ ## || {{ }} ok", "Too short." })
                    .GetAwaiter().GetResult();
            writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        e.Read += 3; e.Kept += 1; e.SymbolRatio += 1; e.TooShort += 1;

        // tsv: a looping spam row.
        File.WriteAllText(Path.Combine(root, "spam.tsv"),
            "text\tlabel\n" + string.Join(' ', Enumerable.Repeat("buy cheap pills now", 20)) + "\tspam\n");
        e.Read += 1; e.RepeatedNgrams += 1;

        // unreadable files: binary and not UTF-8.
        File.WriteAllBytes(Path.Combine(root, "image.txt"), [0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 13]);
        File.WriteAllBytes(Path.Combine(root, "latin1.txt"), [.. Encoding.ASCII.GetBytes("caf"), 0xE9]);
        e.FilesSkipped += 2;
        return e;
    }

    /// <summary>Expected counts for <see cref="Write"/> with split paragraphs, near dedup and PII redaction.</summary>
    public sealed class Expected
    {
        public int Read, Kept, Exact, Near, TooShort, SymbolRatio, RepeatedNgrams, RecordsSkipped, FilesSkipped, Emails, Phones, CnIds;
    }
}
