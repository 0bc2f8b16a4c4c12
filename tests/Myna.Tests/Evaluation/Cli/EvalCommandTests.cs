using System.Text.Json;
using Myna.Tests.Cli;

namespace Myna.Tests.Evaluation.Cli;

/// <summary>Output shapes, options and errors of <c>myna eval bleu|rouge</c>.</summary>
public class EvalCommandTests
{
    private static readonly string[] Hyps = ["The dog bit the man.", "It wasn't surprising.", "The man had just bitten him."];
    private static readonly string[] Refs1 = ["The dog bit the man.", "It was not unexpected.", "The man bit him first."];
    private static readonly string[] Refs2 = ["The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."];

    [Fact]
    public void BleuHumanOutputHasTableScoreLineAndSignature()
    {
        using var files = new TempFiles();
        CliRun run = CliRun.Of("eval", "bleu", "--hyp", files.Lines(Hyps), "--ref", files.Lines(Refs1), "--ref", files.Lines(Refs2));
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)", run.Output);
        Assert.Contains("signature: nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0", run.Output);
        Assert.Contains("precision %", run.Output);
    }

    [Fact]
    public void BleuJsonHasTheContractFields()
    {
        using var files = new TempFiles();
        CliRun run = CliRun.Of("eval", "bleu", "--hyp", files.Lines(Hyps), "--ref", files.Lines(Refs1), "--ref", files.Lines(Refs2), "--json");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        using JsonDocument json = JsonDocument.Parse(run.Output);
        JsonElement root = json.RootElement;
        Assert.Equal(["score", "counts", "totals", "precisions", "bp", "sys_len", "ref_len", "signature"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(48.530827, root.GetProperty("score").GetDouble(), 6);
        Assert.Equal([14L, 7, 5, 3], root.GetProperty("counts").EnumerateArray().Select(x => x.GetInt64()));
        Assert.Equal([17L, 14, 11, 8], root.GetProperty("totals").EnumerateArray().Select(x => x.GetInt64()));
        Assert.Equal(4, root.GetProperty("precisions").GetArrayLength());
        Assert.Equal(17, root.GetProperty("sys_len").GetInt32());
        Assert.Equal(18, root.GetProperty("ref_len").GetInt32());
    }

    [Fact]
    public void BleuSentenceModeGivesEveryLineAndTheCorpus()
    {
        using var files = new TempFiles();
        CliRun run = CliRun.Of("eval", "bleu", "--hyp", files.Lines(Hyps), "--ref", files.Lines(Refs1), "--sentence", "--json");
        Assert.Equal(0, run.ExitCode);
        using JsonDocument json = JsonDocument.Parse(run.Output);
        Assert.Equal("nrefs:1|case:mixed|eff:yes|tok:13a|smooth:exp|version:2.6.0", json.RootElement.GetProperty("signature").GetString());
        JsonElement sentences = json.RootElement.GetProperty("sentences");
        Assert.Equal(3, sentences.GetArrayLength());
        Assert.Equal(100, sentences[0].GetProperty("score").GetDouble(), 9);
        JsonElement corpus = json.RootElement.GetProperty("corpus");
        Assert.Equal("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0", corpus.GetProperty("signature").GetString());
        Assert.Equal(17, corpus.GetProperty("sys_len").GetInt32());

        CliRun human = CliRun.Of("eval", "bleu", "--hyp", files.Lines(Hyps), "--ref", files.Lines(Refs1), "--sentence");
        Assert.Equal(0, human.ExitCode);
        Assert.Contains("corpus signature: nrefs:1|case:mixed|eff:no", human.Output);
    }

    [Fact]
    public void BleuOptionsReachTheSignature()
    {
        using var files = new TempFiles();
        CliRun run = CliRun.Of("eval", "bleu", "--hyp", files.Lines(Hyps), "--ref", files.Lines(Refs1), "--json",
            "--tokenize", "intl", "--lowercase", "--smooth", "add-k", "--smooth-value", "2", "--effective-order");
        Assert.Equal(0, run.ExitCode);
        using JsonDocument json = JsonDocument.Parse(run.Output);
        Assert.Equal("nrefs:1|case:lc|eff:yes|tok:intl|smooth:add-k[2.00]|version:2.6.0", json.RootElement.GetProperty("signature").GetString());

        CliRun orders = CliRun.Of("eval", "bleu", "--hyp", files.Lines(Hyps), "--ref", files.Lines(Refs1), "--json", "--max-ngram-order", "2");
        using JsonDocument two = JsonDocument.Parse(orders.Output);
        Assert.Equal(2, two.RootElement.GetProperty("counts").GetArrayLength());
    }

    [Fact]
    public void RougeJsonHasPerLineMeanAndBootstrap()
    {
        using var files = new TempFiles();
        CliRun run = CliRun.Of("eval", "rouge", "--hyp", files.Lines(Hyps), "--ref", files.Lines(Refs1), "--json", "--bootstrap", "200", "--seed", "7");
        Assert.True(run.ExitCode == 0, run.Error);
        using JsonDocument json = JsonDocument.Parse(run.Output);
        JsonElement root = json.RootElement;
        Assert.Equal(3, root.GetProperty("per_line").GetArrayLength());
        Assert.Equal(["rouge1", "rouge2", "rougeL", "rougeLsum"], root.GetProperty("mean").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["precision", "recall", "fmeasure"], root.GetProperty("mean").GetProperty("rouge1").EnumerateObject().Select(p => p.Name));
        JsonElement bootstrap = root.GetProperty("bootstrap");
        Assert.Equal(200, bootstrap.GetProperty("samples").GetInt32());
        Assert.Equal(7, bootstrap.GetProperty("seed").GetInt32());
        JsonElement rougeL = bootstrap.GetProperty("scores").GetProperty("rougeL");
        Assert.True(rougeL.GetProperty("low").GetProperty("fmeasure").GetDouble() <= rougeL.GetProperty("high").GetProperty("fmeasure").GetDouble());

        // The mean is the plain average of the per-line scores.
        double mean = root.GetProperty("per_line").EnumerateArray().Average(l => l.GetProperty("rouge1").GetProperty("fmeasure").GetDouble());
        Assert.Equal(mean, root.GetProperty("mean").GetProperty("rouge1").GetProperty("fmeasure").GetDouble(), 12);

        CliRun defaults = CliRun.Of("eval", "rouge", "--hyp", files.Lines(Hyps), "--ref", files.Lines(Refs1), "--json", "--bootstrap");
        using JsonDocument d = JsonDocument.Parse(defaults.Output);
        Assert.Equal(1000, d.RootElement.GetProperty("bootstrap").GetProperty("samples").GetInt32());
        Assert.False(JsonDocument.Parse(CliRun.Of("eval", "rouge", "--hyp", files.Lines(Hyps), "--ref", files.Lines(Refs1), "--json").Output)
            .RootElement.TryGetProperty("bootstrap", out _));
    }

    [Fact]
    public void RougeHumanOutputIsATableOfMeans()
    {
        using var files = new TempFiles();
        CliRun run = CliRun.Of("eval", "rouge", "--hyp", files.Lines(Hyps), "--ref", files.Lines(Refs1), "--types", "rouge1,rougeL", "--stemmer", "--bootstrap", "50");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("rougeL", run.Output);
        Assert.DoesNotContain("rouge2", run.Output);
        Assert.Contains("settings: types:rouge1,rougeL|stemmer:yes|tok:default|bootstrap:50|seed:0", run.Output);
    }

    [Fact]
    public void RougeChineseTokenizationSplitsCharacters()
    {
        using var files = new TempFiles();
        CliRun plain = CliRun.Of("eval", "rouge", "--hyp", files.Lines(["我爱北京"]), "--ref", files.Lines(["我爱上海"]), "--types", "rouge1", "--json");
        CliRun zh = CliRun.Of("eval", "rouge", "--hyp", files.Lines(["我爱北京"]), "--ref", files.Lines(["我爱上海"]), "--types", "rouge1", "--json", "--tokenize", "zh");
        // rouge-score's own tokenizer drops every non-ASCII character: nothing is left to score.
        Assert.Equal(0, JsonDocument.Parse(plain.Output).RootElement.GetProperty("mean").GetProperty("rouge1").GetProperty("fmeasure").GetDouble());
        Assert.Equal(0.5, JsonDocument.Parse(zh.Output).RootElement.GetProperty("mean").GetProperty("rouge1").GetProperty("fmeasure").GetDouble(), 12);
    }

    [Theory]
    [InlineData("bleu")]
    [InlineData("rouge")]
    public void MismatchedLineCountsNameBothFilesAndCounts(string metric)
    {
        using var files = new TempFiles();
        string hyp = files.Lines(Hyps), reference = files.Lines(Refs1.Take(2));
        CliRun run = CliRun.Of("eval", metric, "--hyp", hyp, "--ref", reference);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Output);
        string line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        Assert.Contains(hyp, line);
        Assert.Contains(reference, line);
        Assert.Contains("3 lines", line);
        Assert.Contains("has 2", line);
    }

    [Fact]
    public void SecondReferenceStreamIsCheckedToo()
    {
        using var files = new TempFiles();
        CliRun run = CliRun.Of("eval", "bleu", "--hyp", files.Lines(Hyps), "--ref", files.Lines(Refs1), "--ref", files.Lines(Refs2.Take(1)));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("has 1", run.Error);
    }

    [Theory]
    [InlineData("bleu")]
    [InlineData("rouge")]
    public void MissingEmptyAndBrokenFilesAreInputErrors(string metric)
    {
        using var files = new TempFiles();
        string good = files.Lines(Hyps);

        CliRun missing = CliRun.Of("eval", metric, "--hyp", files.Missing, "--ref", good);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("does not exist", missing.Error);
        Assert.Contains(files.Missing, missing.Error);

        CliRun empty = CliRun.Of("eval", metric, "--hyp", good, "--ref", files.Bytes([]));
        Assert.Equal(1, empty.ExitCode);
        Assert.Contains("is empty", empty.Error);

        CliRun broken = CliRun.Of("eval", metric, "--hyp", files.Bytes([(byte)'a', 0xFF, (byte)'\n']), "--ref", files.Lines(["a"]));
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("not valid UTF-8 at byte 1", broken.Error);
        foreach (CliRun run in new[] { missing, empty, broken })
            Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("eval", "bleu", "--hyp", "HYP")]
    [InlineData("eval", "bleu", "--hyp", "HYP", "--ref", "HYP", "--tokenize", "ja-mecab")]
    [InlineData("eval", "bleu", "--hyp", "HYP", "--ref", "HYP", "--smooth", "add-one")]
    [InlineData("eval", "bleu", "--hyp", "HYP", "--ref", "HYP", "--smooth-value", "abc")]
    [InlineData("eval", "bleu", "--hyp", "HYP", "--ref", "HYP", "--max-ngram-order", "0")]
    [InlineData("eval", "rouge", "--hyp", "HYP", "--ref", "HYP", "--types", "rouge1,rougeX")]
    [InlineData("eval", "rouge", "--hyp", "HYP", "--ref", "HYP", "--types", "rouge0")]
    [InlineData("eval", "rouge", "--hyp", "HYP", "--ref", "HYP", "--bootstrap", "0")]
    [InlineData("eval", "rouge", "--hyp", "HYP", "--ref", "HYP", "--tokenize", "jieba")]
    [InlineData("eval", "rouge", "--hyp", "HYP", "--ref", "HYP", "--ref", "HYP")]
    public void UsageErrorsAreOneLineWithExitCode2(params string[] args)
    {
        using var files = new TempFiles();
        string hyp = files.Lines(Hyps);
        CliRun run = CliRun.Of([.. args.Select(a => a == "HYP" ? hyp : a)]);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Output);
        string line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
    }

    [Theory]
    [InlineData("bleu", "myna eval bleu --hyp hyp.txt --ref ref.txt")]
    [InlineData("rouge", "myna eval rouge --hyp summaries.txt --ref references.txt")]
    public void HelpShowsExamples(string metric, string example)
    {
        CliRun run = CliRun.Of("eval", metric, "--help");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Examples:", run.Output);
        Assert.Contains(example, run.Output);
        Assert.Contains("eval", CliRun.Of("--help").Output);
    }
}
