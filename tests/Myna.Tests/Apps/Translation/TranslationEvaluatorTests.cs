using Myna.Apps.Translation;

namespace Myna.Tests.Apps.Translation;

/// <summary>The evaluation report: three metrics with signatures, scores per system, p-values against each baseline.</summary>
public sealed class TranslationEvaluatorTests
{
    private static readonly string[] References = [.. Enumerable.Range(0, 40).Select(i => $"第 {i} 个句子是关于软件包管理器的说明。")];

    [Fact]
    public void A_perfect_system_beats_weak_baselines_significantly()
    {
        string[] memory = [.. References.Select((r, i) => i % 2 == 0 ? r : "无关的文本")];
        string[] copy = [.. References.Select((_, i) => $"sentence {i}")];
        TranslationEvaluation report = new TranslationEvaluator().Compare("test", "model", References, [("translation-memory", memory), ("copy-source", copy)], References);
        Assert.Equal(["BLEU", "chrF2", "chrF2++"], report.Metrics.Select(m => m.Metric));
        MetricComparison bleu = report.Metrics[0];
        Assert.Contains("tok:zh", bleu.Signature);
        Assert.Contains("bs:1000", bleu.Signature);
        Assert.Equal(100, bleu.Scores["model"], 6);
        Assert.True(bleu.Scores["translation-memory"] < 100);
        Assert.All(report.Metrics, m => Assert.True(m.PValues["translation-memory"] < 0.05 && m.PValues["copy-source"] < 0.05));
        Assert.True(report.Beats("translation-memory"));
        Assert.Equal(40, report.Segments);
    }

    [Fact]
    public void A_system_equal_to_the_baseline_does_not_meet_the_target()
    {
        string[] outputs = [.. References.Select((r, i) => i % 3 == 0 ? r : "软件包")];
        TranslationEvaluation report = new TranslationEvaluator().Compare("dev", "model", outputs, [("translation-memory", outputs)], References);
        Assert.All(report.Metrics, m => Assert.Equal(m.Scores["model"], m.Scores["translation-memory"]));
        Assert.False(report.Beats("translation-memory"));
    }

    [Fact]
    public void Evaluate_translates_with_every_system()
    {
        TranslationPair[] pairs = [.. References.Select((r, i) => new TranslationPair($"t/{i}", $"sentence {i}", r, "test"))];
        using var memory = new TranslationMemory(pairs);
        TranslationEvaluation report = new TranslationEvaluator().Evaluate("test", pairs, new CopySourceBaseline(), [memory]);
        Assert.Equal("copy-source", report.System);
        Assert.Equal(0, report.Failed);
        Assert.True(report.Metrics[1].Scores["translation-memory"] > report.Metrics[1].Scores["copy-source"]);
    }
}
