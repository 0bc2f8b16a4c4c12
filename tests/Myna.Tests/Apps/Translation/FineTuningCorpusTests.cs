using System.Text.Json;
using Myna.Apps.Translation;
using Myna.Tests.Generation;
using Myna.Tests.Text;
using Myna.Text.Tokenization;

namespace Myna.Tests.Apps.Translation;

/// <summary>The fine-tuning documents: the training layout, and only what fits the context with its end-of-text tokens.</summary>
public sealed class FineTuningCorpusTests
{
    private static readonly TranslationSplits Splits = TranslationSplits.Build(TranslationFixtures.Data());

    [Fact]
    public void Examples_are_english_then_chinese_on_two_lines()
    {
        Assert.Equal("English: Save the file\nChinese: 保存 文件", TranslationPrompt.Example("Save  the\nfile ", "保存 文件"));
        Assert.Equal("English: Save the file\nChinese:", TranslationPrompt.Prompt("Save the file"));
    }

    [Fact]
    public void Only_examples_that_fit_the_context_are_kept_and_counted()
    {
        using var model = new TinyModelDirectory();
        GptTokenizer tokenizer = GptTokenizer.FromDirectory(model.Path); // one token per byte
        const int context = 160;
        FineTuningCorpus corpus = FineTuningCorpus.Build(Splits, tokenizer, context);
        Assert.Equal(Splits.Train.Count, corpus.Report.TrainPairs);
        Assert.Equal(corpus.Report.TrainPairs, corpus.Report.Kept + corpus.Report.TooLong);
        Assert.True(corpus.Report.TooLong >= 1); // r/7 is over 300 bytes
        Assert.True(corpus.Report.Kept >= 3);
        Assert.All(corpus.Documents, d => Assert.True(tokenizer.Encode(d).Length + 2 <= context, d));
        int longest = Splits.Train.Max(p => tokenizer.Encode(TranslationPrompt.Example(p.Source, p.Target)).Length);
        Assert.Equal(Splits.Train.Count, FineTuningCorpus.Build(Splits, tokenizer, longest + 2).Report.Kept);
        Assert.Equal(Splits.Train.Count - 1, FineTuningCorpus.Build(Splits, tokenizer, longest + 1).Report.Kept);
    }

    [Fact]
    public void Save_writes_text_lines_shard_reads_and_the_report()
    {
        using var model = new TinyModelDirectory();
        using var folder = new TempFolder();
        FineTuningCorpus corpus = FineTuningCorpus.Build(Splits, GptTokenizer.FromDirectory(model.Path), 256);
        string output = Path.Combine(folder.Path, "corpus");
        corpus.Save(output, [TranslationFixtures.Folder], replace: false);
        string[] lines = File.ReadAllLines(Path.Combine(output, FineTuningCorpus.DocumentsFile));
        Assert.Equal(corpus.Documents, lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString()));
        Assert.Contains(lines, l => l.Contains("关闭窗口之前保存更改", StringComparison.Ordinal)); // Chinese stays readable
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, FineTuningCorpus.ReportFile)));
        Assert.Equal(corpus.Report.Kept, report.RootElement.GetProperty("kept").GetInt32());
        Assert.Throws<IOException>(() => corpus.Save(output, [TranslationFixtures.Folder], replace: false));
    }
}
