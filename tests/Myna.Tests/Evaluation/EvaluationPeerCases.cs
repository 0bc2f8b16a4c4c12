using System.Text.Json;

namespace Myna.Tests.Evaluation;

/// <summary>The reference projects' BLEU and ROUGE cases (see PeerCases/README.md for provenance).</summary>
public static class EvaluationPeerCases
{
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "Evaluation", "PeerCases");

    /// <summary>A corpus- or sentence-level BLEU case. Options use sacreBLEU's keyword names.</summary>
    public sealed record BleuCase(
        string Id, string Level, string[] Hyps, string[][] Refs, JsonElement Options, JsonElement Expected, double? ScoreTolerance, bool Contract)
    {
        public override string ToString() => Id;

        public string? Tokenize => Options.TryGetProperty("tokenize", out JsonElement v) ? v.GetString() : null;
        public string? SmoothMethod => Options.TryGetProperty("smooth_method", out JsonElement v) ? v.GetString() : null;
        public double? SmoothValue => Options.TryGetProperty("smooth_value", out JsonElement v) ? v.GetDouble() : null;
        public bool? EffectiveOrder => Options.TryGetProperty("use_effective_order", out JsonElement v) ? v.GetBoolean() : null;
        public bool Lowercase => Options.TryGetProperty("lowercase", out JsonElement v) && v.GetBoolean();
        public int? MaxNgramOrder => Options.TryGetProperty("max_ngram_order", out JsonElement v) ? v.GetInt32() : null;
    }

    /// <summary>A case that feeds statistics straight to sacreBLEU's compute_bleu.</summary>
    public sealed record BleuStatsCase(
        string Id, long[] Correct, long[] Total, long SysLen, long RefLen, string SmoothMethod, double? SmoothValue, double ExpectedUnit, double Tolerance)
    {
        public override string ToString() => Id;
    }

    public sealed record BleuTokenizerCase(string Id, string Tokenize, string Text, string[] ExpectedTokens)
    {
        public override string ToString() => Id;
    }

    /// <summary>A ROUGE case: targets and predictions line by line, expected values per line and metric.</summary>
    public sealed record RougeCase(
        string Id, string[] Targets, string[] Predictions, string[] Types, bool Stemmer,
        Dictionary<string, Dictionary<string, double>>[] Expected, double Tolerance, bool Derived)
    {
        public override string ToString() => Id;
    }

    private static readonly Lazy<JsonDocument> BleuDocument = new(() => Load("bleu_cases.json"));
    private static readonly Lazy<JsonDocument> RougeDocument = new(() => Load("rouge_cases.json"));

    public static IEnumerable<BleuCase> BleuCases() =>
        BleuDocument.Value.RootElement.GetProperty("cases").EnumerateArray().Select(c => new BleuCase(
            c.GetProperty("id").GetString()!,
            c.GetProperty("level").GetString()!,
            Strings(c.GetProperty("hyps")),
            [.. c.GetProperty("refs").EnumerateArray().Select(Strings)],
            c.GetProperty("options"),
            c.GetProperty("expected"),
            c.GetProperty("tolerance").TryGetProperty("score_abs", out JsonElement t) ? t.GetDouble() : null,
            c.GetProperty("contract").GetBoolean()));

    public static IEnumerable<BleuStatsCase> BleuStatsOnly() =>
        BleuDocument.Value.RootElement.GetProperty("stats_only_cases_not_runnable_via_cli").EnumerateArray().Select(c => new BleuStatsCase(
            c.GetProperty("id").GetString()!,
            [.. c.GetProperty("correct").EnumerateArray().Select(x => x.GetInt64())],
            [.. c.GetProperty("total").EnumerateArray().Select(x => x.GetInt64())],
            c.GetProperty("sys_len").GetInt64(),
            c.GetProperty("ref_len").GetInt64(),
            c.TryGetProperty("smooth_method", out JsonElement m) ? m.GetString()! : "none", // compute_bleu's default
            c.TryGetProperty("smooth_value", out JsonElement v) ? v.GetDouble() : null,
            c.GetProperty("expected_score_unit").GetDouble(),
            c.GetProperty("tolerance_unit").GetDouble()));

    public static IEnumerable<BleuTokenizerCase> BleuTokenizers()
    {
        using JsonDocument document = Load("bleu_tokenizer_cases.json");
        return [.. document.RootElement.GetProperty("cases").EnumerateArray().Select(c => new BleuTokenizerCase(
            c.GetProperty("id").GetString()!,
            c.GetProperty("tokenize").GetString()!,
            c.GetProperty("text").GetString()!,
            Strings(c.GetProperty("expected_tokens"))))];
    }

    public static IEnumerable<RougeCase> RougeCases() =>
        RougeDocument.Value.RootElement.GetProperty("cases").EnumerateArray().Select(c =>
        {
            (string[] targets, string[] predictions) = RougeInputs(c);
            return new RougeCase(
                c.GetProperty("id").GetString()!,
                targets,
                predictions,
                Strings(c.GetProperty("types")),
                c.GetProperty("stemmer").GetBoolean(),
                [.. c.GetProperty("expected_per_line").EnumerateArray().Select(line => line.EnumerateObject().ToDictionary(
                    type => type.Name,
                    type => type.Value.EnumerateObject().ToDictionary(m => m.Name, m => m.Value.GetDouble())))],
                c.GetProperty("tolerance_abs").GetDouble(),
                c.GetProperty("derived").GetBoolean());
        });

    // Lines given inline, as line-aligned files, or as one multi-line file per side (the whole file is one
    // summary whose lines are its sentences, read as rouge-score's test reads it).
    private static (string[] Targets, string[] Predictions) RougeInputs(JsonElement c)
    {
        if (c.TryGetProperty("ref_lines", out JsonElement refs) && refs.ValueKind == JsonValueKind.Array)
            return (Strings(refs), Strings(c.GetProperty("hyp_lines")));
        if (c.TryGetProperty("ref_file", out JsonElement refFile))
            return (ReadLines(refFile.GetString()!), ReadLines(c.GetProperty("hyp_file").GetString()!));
        return ([File.ReadAllText(Path.Combine(Directory, c.GetProperty("ref_multiline_file").GetString()!))],
            [File.ReadAllText(Path.Combine(Directory, c.GetProperty("hyp_multiline_file").GetString()!))]);
    }

    private static string[] ReadLines(string relative)
    {
        string text = File.ReadAllText(Path.Combine(Directory, relative));
        if (text.EndsWith('\n')) text = text[..^1];
        return text.Split('\n');
    }

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(x => x.GetString()!)];

    private static JsonDocument Load(string name) => JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, name)));
}
