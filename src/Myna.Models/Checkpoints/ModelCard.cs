using System.Globalization;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Myna.Models.Checkpoints;

/// <summary>
/// A model's card as one document: the Hugging Face Hub's YAML metadata (licence, languages, datasets, metrics, base
/// model), a title, a summary and named sections in order. Training writes its sections, evaluations record rows in the
/// "Evaluations" section, and everything else is kept as it was read, so each writer changes only what it owns.
/// <see cref="ModelDirectory.SaveCard"/> writes it as <c>model_card.md</c> and as the Hub's <c>README.md</c>.
/// </summary>
public sealed class ModelCard
{
    /// <summary>The card's file name in a model directory.</summary>
    public const string FileName = "model_card.md";

    /// <summary>The name the Hugging Face Hub shows a model's card under, with the metadata as YAML front matter.</summary>
    public const string HubFileName = "README.md";

    /// <summary>The heading of the evaluation results table.</summary>
    public const string EvaluationsHeading = "Evaluations";

    private const string FrontMatterFence = "---";
    private const string EvaluationsIntro = "Latest result of each evaluation run on this directory (`myna eval`, `myna compare`).";
    private const string EvaluationsHeader = "| metric | data | value | details | date |";
    private const string EvaluationsRule = "|---|---|---|---|---|";

    private readonly List<(string Heading, string Body)> _sections = [];

    /// <summary>The Hub's metadata, in order: keys such as <c>license</c>, <c>language</c>, <c>datasets</c>, <c>metrics</c>, <c>base_model</c>.</summary>
    public IDictionary<string, object> Metadata { get; } = new SortedDictionary<string, object>(StringComparer.Ordinal);

    /// <summary>The first-level heading.</summary>
    public string Title { get; set; } = "Model card";

    /// <summary>What comes between the title and the first section.</summary>
    public string Summary { get; set; } = "";

    /// <summary>The section headings, in order.</summary>
    public IReadOnlyList<string> Headings => _sections.Select(s => s.Heading).ToList();

    /// <summary>The body of the section headed <paramref name="heading"/>, or null.</summary>
    public string? Section(string heading) => _sections.FindIndex(s => s.Heading == heading) is int i and >= 0 ? _sections[i].Body : null;

    /// <summary>Replaces the body of <paramref name="heading"/>, or adds the section before <paramref name="before"/> (if given and present), else at the end.</summary>
    public void SetSection(string heading, string body, string? before = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(heading);
        ArgumentNullException.ThrowIfNull(body);
        string trimmed = body.Replace("\r\n", "\n").Trim('\n');
        int existing = _sections.FindIndex(s => s.Heading == heading);
        if (existing >= 0)
        {
            _sections[existing] = (heading, trimmed);
            return;
        }
        int at = before is null ? -1 : _sections.FindIndex(s => s.Heading == before);
        if (at >= 0) _sections.Insert(at, (heading, trimmed));
        else _sections.Add((heading, trimmed));
    }

    /// <summary>Removes the section headed <paramref name="heading"/>, if any.</summary>
    public void RemoveSection(string heading) => _sections.RemoveAll(s => s.Heading == heading);

    /// <summary>
    /// Records <paramref name="record"/> in the "Evaluations" table: one row per (metric, data), replacing the previous
    /// row for the same pair, with the date; the metric also joins the Hub metadata's <c>metrics</c>.
    /// </summary>
    public void RecordEvaluation(EvaluationRecord record, DateTimeOffset when)
    {
        ArgumentNullException.ThrowIfNull(record);
        string row = string.Create(CultureInfo.InvariantCulture,
            $"| {Cell(record.Metric)} | {Cell(record.Data)} | {record.Value:G6} | {Cell(record.Details)} | {when:yyyy-MM-dd} |");
        string key = $"| {Cell(record.Metric)} | {Cell(record.Data)} |";
        List<string> lines = (Section(EvaluationsHeading) ?? "").Split('\n').ToList();
        int rule = lines.FindIndex(l => l.StartsWith("|---", StringComparison.Ordinal));
        if (rule < 0)
        {
            lines = [EvaluationsIntro, "", EvaluationsHeader, EvaluationsRule, row];
        }
        else
        {
            int end = rule + 1;
            while (end < lines.Count && lines[end].StartsWith('|')) end++;
            int existing = lines.FindIndex(rule + 1, end - rule - 1, l => l.StartsWith(key, StringComparison.Ordinal));
            if (existing >= 0) lines[existing] = row;
            else lines.Insert(end, row);
        }
        SetSection(EvaluationsHeading, string.Join('\n', lines));
        AddMetadataItem("metrics", HubMetricName(record.Metric));
    }

    /// <summary>
    /// The Hub metadata every Myna model directory can claim: it loads in transformers as a GPT-2 text-generation model.
    /// A licence is required by the Hub; "other" (see the card's text) stands until the author names one.
    /// </summary>
    public void AddHubDefaults()
    {
        Metadata.TryAdd("license", "other");
        Metadata.TryAdd("library_name", "transformers");
        Metadata.TryAdd("pipeline_tag", "text-generation");
        AddMetadataItem("tags", "gpt2");
        AddMetadataItem("tags", "myna");
    }

    /// <summary>Adds <paramref name="item"/> to the metadata list <paramref name="key"/> unless it is there.</summary>
    public void AddMetadataItem(string key, string item)
    {
        List<string> items = MetadataList(key).ToList();
        if (!items.Contains(item, StringComparer.Ordinal)) items.Add(item);
        Metadata[key] = items;
    }

    /// <summary>The metadata list under <paramref name="key"/> (a single value counts as a list of one).</summary>
    public IReadOnlyList<string> MetadataList(string key) => Metadata.TryGetValue(key, out object? value)
        ? value switch
        {
            string one => [one],
            IEnumerable<object> many => many.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "").ToList(),
            _ => [Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""],
        }
        : [];

    /// <summary>Reads a card written by Myna or by hand: optional YAML front matter, a <c># title</c>, a summary, <c>## sections</c>.</summary>
    /// <exception cref="InvalidDataException">The front matter is not valid YAML or not a mapping.</exception>
    public static ModelCard Parse(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var card = new ModelCard();
        List<string> lines = markdown.Replace("\r\n", "\n").Split('\n').ToList();
        int start = 0;
        if (lines.Count > 0 && lines[0] == FrontMatterFence)
        {
            int end = lines.IndexOf(FrontMatterFence, 1);
            if (end > 0)
            {
                card.ReadFrontMatter(string.Join('\n', lines.GetRange(1, end - 1)));
                start = end + 1;
            }
        }

        int first = FirstContentLine(lines, start);
        if (first < lines.Count && lines[first].StartsWith("# ", StringComparison.Ordinal))
        {
            card.Title = lines[first][2..].Trim();
            start = first + 1;
        }

        string? heading = null;
        var body = new StringBuilder();
        bool inCode = false;
        for (int i = start; i < lines.Count; i++)
        {
            string line = lines[i];
            if (line.StartsWith("```", StringComparison.Ordinal)) inCode = !inCode;
            if (!inCode && line.StartsWith("## ", StringComparison.Ordinal))
            {
                card.Flush(heading, body);
                heading = line[3..].Trim();
                continue;
            }
            body.Append(line).Append('\n');
        }
        card.Flush(heading, body);
        return card;
    }

    /// <summary>The card as Markdown: the metadata as YAML front matter (when there is any), then the title and sections.</summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        if (Metadata.Count > 0)
        {
            text.Append(FrontMatterFence).Append('\n');
            text.Append(new SerializerBuilder().Build().Serialize(Metadata));
            text.Append(FrontMatterFence).Append('\n');
        }
        text.Append("# ").Append(Title).Append("\n\n");
        if (Summary.Length > 0) text.Append(Summary).Append("\n\n");
        foreach ((string heading, string body) in _sections)
        {
            text.Append("## ").Append(heading).Append("\n\n");
            if (body.Length > 0) text.Append(body).Append("\n\n");
        }
        return text.ToString().TrimEnd('\n') + "\n";
    }

    private void ReadFrontMatter(string yaml)
    {
        object? parsed;
        try
        {
            parsed = new DeserializerBuilder().Build().Deserialize<object>(yaml);
        }
        catch (YamlException ex)
        {
            throw new InvalidDataException($"the card's YAML front matter is not valid YAML ({ex.Message}).", ex);
        }
        if (parsed is null) return;
        if (parsed is not IDictionary<object, object> map) throw new InvalidDataException("the card's YAML front matter is not a mapping of keys to values.");
        foreach ((object key, object value) in map) Metadata[Convert.ToString(key, CultureInfo.InvariantCulture)!] = value;
    }

    private void Flush(string? heading, StringBuilder body)
    {
        string text = body.ToString().Trim('\n');
        body.Clear();
        if (heading is null) Summary = text;
        else _sections.Add((heading, text));
    }

    private static int FirstContentLine(List<string> lines, int start)
    {
        int i = start;
        while (i < lines.Count && lines[i].Trim().Length == 0) i++;
        return i;
    }

    private static string Cell(string text) => text.Replace("|", "\\|").Replace("\n", " ");

    /// <summary>The Hub's metric id for a Myna metric name ("perplexity (f16)" → "perplexity", "ROUGE-L" → "rouge").</summary>
    private static string HubMetricName(string metric)
    {
        string name = metric.Split(' ', '(')[0].ToLowerInvariant();
        return name.StartsWith("rouge", StringComparison.Ordinal) ? "rouge" : name;
    }
}

/// <summary>One evaluation result for a model card: what was measured, on what, the value and how.</summary>
public sealed record EvaluationRecord(string Metric, string Data, double Value, string Details);
