using System.Text.Json;

namespace Myna.Apps.Support.Evaluation;

/// <summary>
/// The result of <c>myna support eval</c>, written as
/// <c>{"model":{…},"baselines":{"keyword":{…},"bm25":{…}},"per_question":[{id, sources, handoff}]}</c>; each system
/// object holds its settings and its metrics <c>overall</c>, <c>en</c> and <c>zh</c>.
/// </summary>
public sealed record SupportEvaluationReport(SupportOptions Options, int FaqEntries, SystemEvaluation Model, SystemEvaluation Keyword, SystemEvaluation Bm25)
{
    /// <summary>BM25 + query-likelihood re-ranking, when it was measured (<c>--rerank-weight</c>); written under <c>baselines</c> as <c>bm25+rerank</c>.</summary>
    public SystemEvaluation? Reranked { get; init; }

    /// <summary>The re-ranking weight, when <see cref="Reranked"/> was measured.</summary>
    public double? RerankWeight { get; init; }

    /// <summary>Logged questions BM25 indexed in its <c>asked</c> field (a logged question is scored without its fold).</summary>
    public int QueryLogQuestions { get; init; }

    /// <summary>Writes the report as one JSON object.</summary>
    public void Write(Utf8JsonWriter writer, string? questionsFile, string? split)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        if (questionsFile is null) writer.WriteNull("questions_file");
        else writer.WriteString("questions_file", questionsFile);
        if (split is null) writer.WriteNull("split");
        else writer.WriteString("split", split);
        writer.WriteNumber("questions", Model.Outcomes.Count);
        writer.WriteNumber("faq_entries", FaqEntries);
        writer.WriteNumber("query_log_questions", QueryLogQuestions);
        writer.WriteNumber("held_out_folds", HeldOutFolds.Count);
        writer.WritePropertyName("model");
        WriteSystem(writer, Model, reranker: true);
        writer.WriteStartObject("baselines");
        writer.WritePropertyName("keyword");
        WriteSystem(writer, Keyword, reranker: false);
        writer.WritePropertyName("bm25");
        WriteSystem(writer, Bm25, reranker: false);
        if (Reranked is not null)
        {
            writer.WritePropertyName("bm25+rerank");
            WriteSystem(writer, Reranked, reranker: false);
        }
        writer.WriteEndObject();
        writer.WriteStartArray("per_question");
        foreach (QuestionOutcome outcome in Model.Outcomes)
        {
            writer.WriteStartObject();
            writer.WriteString("id", outcome.Question.Id);
            writer.WriteStartArray("sources");
            foreach (string id in outcome.Ranked) writer.WriteStringValue(id);
            writer.WriteEndArray();
            writer.WriteBoolean("handoff", outcome.Handoff);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The report as a JSON string.</summary>
    public string ToJson(string? questionsFile, string? split)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            Write(writer, questionsFile, split);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private void WriteSystem(Utf8JsonWriter writer, SystemEvaluation system, bool reranker)
    {
        writer.WriteStartObject();
        writer.WriteString("system", system.Name);
        if (reranker) writer.WriteString("reranker", "none (query likelihood, with the default model and with it fine-tuned on FAQ + Debian Reference text, did not win on dev; see README)");
        if (system.Name.EndsWith("+rerank", StringComparison.Ordinal) && RerankWeight is { } weight) writer.WriteNumber("rerank_weight", weight);
        writer.WriteStartObject("settings");
        foreach (string lang in new[] { SupportLanguage.English, SupportLanguage.Chinese })
        {
            writer.WriteStartObject(lang);
            if (system.Name == "bm25") WriteBm25(writer, Options.Bm25.For(lang));
            WriteHandoff(writer, system.Policy.For(lang));
            writer.WriteEndObject();
        }
        writer.WriteString("tuned", SupportOptions.Tuning);
        writer.WriteEndObject();
        writer.WritePropertyName("overall");
        WriteMetrics(writer, system.Overall);
        foreach ((string lang, SupportMetrics metrics) in system.PerLanguage)
        {
            writer.WritePropertyName(lang);
            WriteMetrics(writer, metrics);
        }
        writer.WriteEndObject();
    }

    private static void WriteHandoff(Utf8JsonWriter writer, IHandoffRule rule)
    {
        if (rule is HandoffPolicy policy)
        {
            writer.WriteNumber("handoff_min_score", Math.Round(policy.MinScore, 6));
            writer.WriteNumber("handoff_min_coverage", Math.Round(policy.MinCoverage, 6));
        }
        else if (rule is LogisticHandoff learned)
        {
            writer.WriteStartObject("handoff_logistic");
            for (int i = 0; i < HandoffFeatures.Names.Count; i++) writer.WriteNumber(HandoffFeatures.Names[i], Math.Round(learned.Model.Weights[i], 6));
            writer.WriteNumber("bias", Math.Round(learned.Model.Bias, 6));
            writer.WriteNumber("threshold", Math.Round(learned.Threshold, 6));
            writer.WriteEndObject();
        }
    }

    private static void WriteBm25(Utf8JsonWriter writer, Bm25Settings bm25)
    {
        writer.WriteNumber("k1", bm25.K1);
        writer.WriteNumber("b", bm25.B);
        writer.WriteNumber("question_boost", bm25.QuestionBoost);
        writer.WriteNumber("chapter_boost", bm25.ChapterBoost);
        writer.WriteNumber("translation_boost", bm25.TranslationBoost);
        writer.WriteNumber("asked_boost", bm25.AskedBoost);
        writer.WriteNumber("keyword_weight", bm25.KeywordWeight);
        writer.WriteBoolean("chinese_character_pairs", bm25.ChineseCharacterPairs);
    }

    /// <summary>One metrics object; values rounded to 4 decimals, undefined ones null.</summary>
    public static void WriteMetrics(Utf8JsonWriter writer, SupportMetrics m)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(m);
        writer.WriteStartObject();
        writer.WriteNumber("questions", m.Questions);
        writer.WriteNumber("answerable", m.Answerable);
        writer.WriteNumber("out_of_scope", m.OutOfScope);
        Number(writer, "hit@1", m.HitAt1);
        Number(writer, "hit@3", m.HitAt3);
        Number(writer, "mrr@10", m.MrrAt10);
        Number(writer, "handoff_precision", m.HandoffPrecision);
        Number(writer, "handoff_recall", m.HandoffRecall);
        Number(writer, "handoff_f1", m.HandoffF1);
        Number(writer, "false_handoff_rate", m.FalseHandoffRate);
        Number(writer, "correct_action_rate", m.CorrectActionRate);
        Number(writer, "rouge_l", m.RougeL);
        writer.WriteStartObject("latency_ms");
        writer.WriteNumber("p50", Math.Round(m.LatencyP50Ms, 3));
        writer.WriteNumber("p95", Math.Round(m.LatencyP95Ms, 3));
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } v) writer.WriteNumber(name, Math.Round(v, 4));
        else writer.WriteNull(name);
    }
}
