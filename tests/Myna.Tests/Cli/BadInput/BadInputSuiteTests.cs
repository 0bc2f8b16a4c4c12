using System.Text;
using System.Text.Json;
using Myna.Models.Checkpoints;

namespace Myna.Tests.Cli.BadInput;

/// <summary>
/// The bad-input suite: what a hostile or careless user gives the CLI, family by family. Each case ends in its exit
/// code with one <c>error:</c> line and no stack trace, or in the documented correct behaviour; cases that write check
/// that nothing outside the output location changed, and memory cases run in a child process under a heap limit.
/// </summary>
public sealed class BadInputSuiteTests : IDisposable
{
    private readonly BadInputScene _scene = new();

    public void Dispose() => _scene.Dispose();

    private static string Lines(int count) => string.Concat(Enumerable.Range(0, count).Select(i =>
        $"Paragraph {i} tells of the quick brown fox number {i * 7919 % 10007} and the lazy dog by the river.\n\n"));

    private string[] MicroTrain(string shards, string run, params string[] extra) =>
        ["train", "--data", shards, "--out", run, "--n-layer", "1", "--n-head", "2", "--n-embd", "32", "--n-ctx", "16", "--seq-len", "16",
         "--batch-size", "2", "--warmup", "1", "--eval-interval", "0", "--eval-batches", "1", "--log-interval", "1", .. extra];

    // ---- 1. Every failure a user can cause is one line, exit 1; anything else a bug report, exit 70 ----

    [Fact]
    public void Family1_ResumingFromATruncatedCheckpointNamesTheFile()
    {
        string shards = _scene.Shards(), run = _scene.PathOf("run");
        BadInputAssert.Succeeded(BadInputScene.Run(MicroTrain(shards, run, "--max-steps", "2")));
        string weights = Path.Combine(run, "last", ModelDirectory.WeightsFileName);
        using (var file = new FileStream(weights, FileMode.Open)) file.SetLength(file.Length / 2);

        BadInputAssert.OneLineError(BadInputScene.Run([.. MicroTrain(shards, run, "--max-steps", "4"), "--resume"]), 1, "model.safetensors");
    }

    [Fact]
    public void Family1_PerplexityOfAnEmptyFileSaysItNeedsTwoTokens() =>
        BadInputAssert.OneLineError(BadInputScene.Run("eval", "ppl", "--model", _scene.TinyModel(), "--data", _scene.Text("empty.txt", "")), 1, "at least 2");

    [Theory]
    [InlineData("empty")]
    [InlineData("over-long")]
    public void Family1_ATaskWithAnEmptyOrOverLongPromptNamesTheLine(string kind)
    {
        string prompt = kind == "empty" ? "" : new string('a', 5000);
        string task = _scene.Text("task.jsonl", "{\"prompt\":\"Hi\",\"reference\":\"there\"}\n" + JsonSerializer.Serialize(new { prompt, reference = "x" }) + "\n");
        CliRun run = BadInputScene.Run("eval", "task", "--model", _scene.TinyModel(), "--task", task, "--out", _scene.PathOf("results.jsonl"));
        BadInputAssert.OneLineError(run, 1, "task line 2");
    }

    [Fact]
    public void Family1_ATokenizerWithMoreIdsThanTheModelIsRefused()
    {
        string model = _scene.TinyModel();
        var vocab = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(Path.Combine(model, "vocab.json")))!;
        vocab["<|extra|>"] = vocab.Count + 10;
        File.WriteAllText(Path.Combine(model, "vocab.json"), JsonSerializer.Serialize(vocab));
        BadInputAssert.OneLineError(BadInputScene.Run("generate", "--model", model, "--prompt", "hi"), 1, "ids");
    }

    [Fact]
    public void Family1_AConfigWithAContextOfABillionIsRefusedByName()
    {
        string model = _scene.PathOf("m");
        _scene.Text("m/config.json", """{"model_type":"gpt2","vocab_size":64,"n_positions":1e9,"n_ctx":1e9,"n_embd":32,"n_head":2,"n_layer":1}""");
        BadInputAssert.OneLineError(BadInputScene.Run("generate", "--model", model, "--prompt", "hi"), 1, "n_ctx 1000000000");
    }

    [Fact]
    public void Family1_AnImpossibleBatchIsRefusedBeforeAllocatingWithTheMemoryItNeeds()
    {
        string run = _scene.PathOf("run");
        CliRun result = BadInputScene.Run("train", "--data", _scene.Shards(), "--out", run, "--preset", "tiny", "--seq-len", "16",
            "--batch-size", "100000000", "--max-steps", "1", "--warmup", "0");
        BadInputAssert.OneLineError(result, 1, "--batch-size");
        Assert.Contains("GiB", result.Error);
        Assert.False(Directory.Exists(Path.Combine(run, "last")));
    }

    [Fact]
    public void Family1_AShardTokenBeyondTheVocabularyStopsTrainingBeforeTheFirstStep()
    {
        string shards = _scene.Shards();
        string file = Directory.GetFiles(shards, "train-*.bin").Order().Last();
        using (var stream = new FileStream(file, FileMode.Open))
        {
            stream.Position = stream.Length - 2; // the very last token: otherwise found only at the end of an epoch
            stream.Write(BitConverter.GetBytes((ushort)40));
        }
        CliRun run = BadInputScene.Run(MicroTrain(shards, _scene.PathOf("run"), "--max-steps", "1"));
        BadInputAssert.OneLineError(run, 1, "corrupt");
        Assert.False(Directory.Exists(_scene.PathOf("run/last")));
    }

    // ---- 2. Writes go only where asked, never through a link, never onto the input or a device ----

    [Fact]
    public void Family2_ALinkPlantedInTheOutputFolderIsReplacedNotFollowed()
    {
        _scene.Text("in/a.txt", Lines(30));
        string victim = _scene.Text("victim.txt", "do not touch");
        string output = _scene.PathOf("out");
        Directory.CreateDirectory(output);
        File.CreateSymbolicLink(Path.Combine(output, "report.json"), victim);
        File.CreateSymbolicLink(Path.Combine(output, "part-00000.jsonl"), victim);
        Dictionary<string, string> before = _scene.Snapshot(output);

        BadInputAssert.OneLineError(BadInputScene.Run("prepare", "--input", _scene.PathOf("in"), "--out", output), 1, "--force");
        BadInputAssert.Succeeded(BadInputScene.Run("prepare", "--input", _scene.PathOf("in"), "--out", output, "--force"));

        Assert.Equal(before, _scene.Snapshot(output));
        Assert.Equal("do not touch", File.ReadAllText(victim));
        Assert.Null(new FileInfo(Path.Combine(output, "report.json")).LinkTarget);
    }

    [Fact]
    public void Family2_ExportOntoTheModelItselfOrADeviceIsRefusedAndNothingChanges()
    {
        string model = _scene.TinyModel();
        Dictionary<string, string> before = _scene.Snapshot();
        BadInputAssert.OneLineError(BadInputScene.Run("export", "--model", model, "--format", "hf", "--out", model, "--force"), 1, "input");
        BadInputAssert.OneLineError(BadInputScene.Run("export", "--model", model, "--format", "gguf", "--out", "/dev/null", "--force"), 1, "/dev/null");
        Assert.Equal(before, _scene.Snapshot());
    }

    [Fact]
    public void Family2_ExportIntoAFolderWithOtherFilesIsRefusedWithoutForce()
    {
        string model = _scene.TinyModel();
        _scene.Text("out/notes.txt", "mine");
        Dictionary<string, string> before = _scene.Snapshot();
        BadInputAssert.OneLineError(BadInputScene.Run("export", "--model", model, "--format", "hf", "--out", _scene.PathOf("out")), 1, "--force");
        Assert.Equal(before, _scene.Snapshot());
    }

    [Fact]
    public void Family2_EvaluatingLeavesAReadOnlyModelFolderAsItWasAndStillScores()
    {
        string model = _scene.TinyModel();
        string text = _scene.Text("t.txt", "In the beginning God created the heaven and the earth.");
        Dictionary<string, string> before = _scene.Snapshot();
        CliRun run = BadInputScene.Run("eval", "ppl", "--model", model, "--data", text, "--json");
        BadInputAssert.Succeeded(run);
        Assert.Contains("\"perplexity\"", run.Output);
        Assert.Equal(before, _scene.Snapshot());
    }

    [Fact]
    public void Family2_ATrainingRunWritesNoFileThroughALinkAndNeverIntoWhatItReads()
    {
        string shards = _scene.Shards(), run = _scene.PathOf("run"), model = _scene.TinyModel();
        string victim = _scene.Text("victim.txt", "do not touch");
        Directory.CreateDirectory(run);
        foreach (string name in (string[])["options.json", "report.md", "loss.png"])
            File.CreateSymbolicLink(Path.Combine(run, name), victim);

        BadInputAssert.Succeeded(BadInputScene.Run(MicroTrain(shards, run, "--max-steps", "1")));
        Assert.Equal("do not touch", File.ReadAllText(victim));
        Assert.Null(new FileInfo(Path.Combine(run, "options.json")).LinkTarget);

        Dictionary<string, string> before = _scene.Snapshot();
        BadInputAssert.OneLineError(BadInputScene.Run(MicroTrain(shards, shards, "--max-steps", "1")), 1, "the input itself");
        BadInputAssert.OneLineError(BadInputScene.Run(MicroTrain(shards, Path.Combine(shards, "run"), "--max-steps", "1")), 1, "inside the input");
        BadInputAssert.OneLineError(BadInputScene.Run("train", "--data", shards, "--init-from", model, "--out", Path.Combine(model, "tuned"),
            "--seq-len", "16", "--batch-size", "2", "--max-steps", "1", "--warmup", "0"), 1, "inside the input");
        BadInputAssert.OneLineError(BadInputScene.Run(MicroTrain(shards, victim, "--max-steps", "1")), 1, "is a file");
        Assert.Equal(before, _scene.Snapshot());
    }

    [Fact]
    public void Family2_CompareRefusesItsInputsAndEarlierReportsBeforeMeasuring()
    {
        string model = _scene.TinyModel();
        string task = _scene.Text("task.jsonl", "{\"prompt\":\"Hi\",\"reference\":\"there\"}\n");
        string[] compare = ["compare", "--model", model, "--task", task, "--max-new-tokens", "2", "--speed-runs", "1", "--out"];
        _scene.Text("notes.txt", "mine");
        Dictionary<string, string> before = _scene.Snapshot();
        BadInputAssert.OneLineError(BadInputScene.Run([.. compare, model]), 1, "the input itself");
        BadInputAssert.OneLineError(BadInputScene.Run([.. compare, task]), 1, "the input itself");
        BadInputAssert.OneLineError(BadInputScene.Run([.. compare, _scene.PathOf("notes.txt")]), 1, "is a file");
        Assert.Equal(before, _scene.Snapshot());

        string reports = _scene.PathOf("reports");
        BadInputAssert.Succeeded(BadInputScene.Run([.. compare, reports]));
        before = _scene.Snapshot();
        BadInputAssert.OneLineError(BadInputScene.Run([.. compare, reports]), 1, "--force");
        Assert.Equal(before, _scene.Snapshot());
        BadInputAssert.Succeeded(BadInputScene.Run([.. compare, reports, "--force"]));
    }

    // ---- 3. No silent loss: every input byte accounted for, the output owned by the run ----

    [Fact]
    public void Family3_ATruncatedGzipAndAStubAreCountedInTheReport()
    {
        using var whole = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(whole, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(Encoding.UTF8.GetBytes(Lines(3000)));
        byte[] bytes = whole.ToArray();
        _scene.Bytes("in/cut.txt.gz", bytes[..(bytes.Length * 2 / 3)]);
        _scene.Bytes("in/stub.txt.gz", bytes[..20]);
        Dictionary<string, string> before = _scene.Snapshot(_scene.PathOf("out"));

        CliRun run = BadInputScene.Run("prepare", "--input", _scene.PathOf("in"), "--out", _scene.PathOf("out"), "--split", "paragraphs", "--dedup", "none", "--json");
        BadInputAssert.Succeeded(run);
        using JsonDocument report = JsonDocument.Parse(run.Output);
        JsonElement root = report.RootElement;
        Assert.Equal(1, root.GetProperty("files_cut_short").GetInt32());
        Assert.Equal(1, root.GetProperty("files_skipped").GetInt32());
        Assert.Equal(1, root.GetProperty("dropped").GetProperty("truncated").GetInt32());
        Assert.Equal(before, _scene.Snapshot(_scene.PathOf("out")));
    }

    [Fact]
    public void Family3_AnOutputInsideTheInputIsRefusedBeforeAnythingIsWritten()
    {
        _scene.Text("in/a.txt", Lines(30));
        Dictionary<string, string> before = _scene.Snapshot();
        BadInputAssert.OneLineError(BadInputScene.Run("prepare", "--input", _scene.PathOf("in"), "--out", _scene.PathOf("in/out")), 1, "inside");
        Assert.Equal(before, _scene.Snapshot());
    }

    [Fact]
    public void Family3_AnUnterminatedCsvQuoteDoesNotSwallowTheNextRows()
    {
        _scene.Text("in/rows.csv", "text\n\"an opening quote that never closes in a row long enough to keep\nsecond row which must survive as its own document\nthird row also long enough to be kept by the filter\n");
        CliRun run = BadInputScene.Run("prepare", "--input", _scene.PathOf("in"), "--out", _scene.PathOf("out"), "--dedup", "none", "--json");
        BadInputAssert.Succeeded(run);
        string kept = string.Concat(Directory.GetFiles(_scene.PathOf("out"), "part-*.jsonl").Select(File.ReadAllText));
        Assert.Contains("second row which must survive", kept);
        Assert.Contains("third row", kept);
    }

    // ---- 4. Bounded memory, no hangs (child processes under a heap limit) ----

    [Fact]
    public void Family4_AGzipOfOneHugeLineIsReadInBoundedMemory()
    {
        // 256 MiB of one line, a few hundred KiB compressed; the heap may hold 192 MiB, so reading the line whole fails.
        byte[] block = Encoding.ASCII.GetBytes(new string('a', 1 << 20));
        _scene.Gzip("in/one-line.txt.gz", gzip => { for (int i = 0; i < 256; i++) gzip.Write(block); });
        _scene.Text("in/fine.txt", "A normal document that is long enough to be kept by the length filter.\n");
        Dictionary<string, string> before = _scene.Snapshot(_scene.PathOf("out"), _scene.PathOf("crash"));

        (CliRun run, long peak, bool timedOut) = _scene.RunChild(192L << 20, TimeSpan.FromMinutes(2),
            "prepare", "--input", _scene.PathOf("in"), "--out", _scene.PathOf("out"), "--json");

        Assert.False(timedOut, "prepare did not finish in two minutes");
        BadInputAssert.Succeeded(run);
        using JsonDocument report = JsonDocument.Parse(run.Output);
        Assert.Equal(1, report.RootElement.GetProperty("documents_kept").GetInt32());
        Assert.True(peak < 600L << 20, $"peak resident memory {peak >> 20} MiB");
        Assert.Equal(before, _scene.Snapshot(_scene.PathOf("out"), _scene.PathOf("crash")));
    }

    [Fact]
    public void Family4_ALinkLoopAndAFifoInTheInputNeitherHangNorGetRead()
    {
        _scene.Text("in/a.txt", Lines(5));
        Directory.CreateSymbolicLink(_scene.PathOf("in/loop"), _scene.PathOf("in"));
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [_scene.PathOf("in/pipe.txt")])) mkfifo.WaitForExit();

        (CliRun run, _, bool timedOut) = _scene.RunChild(512L << 20, TimeSpan.FromMinutes(1),
            "prepare", "--input", _scene.PathOf("in"), "--out", _scene.PathOf("out"), "--split", "paragraphs", "--json");

        Assert.False(timedOut, "prepare hung on a link loop or a FIFO");
        BadInputAssert.Succeeded(run);
        using JsonDocument report = JsonDocument.Parse(run.Output);
        Assert.Equal(5, report.RootElement.GetProperty("documents_read").GetInt32());
    }

    [Fact]
    public void Family4_AModelTooBigForTheMachineIsRefusedWithWhatItNeedsAndWhatThereIs()
    {
        (CliRun run, long peak, bool timedOut) = _scene.RunChild(1L << 30, TimeSpan.FromMinutes(1),
            "train", "--data", _scene.Shards(), "--out", _scene.PathOf("run"), "--preset", "gpt2-xl", "--max-steps", "1", "--warmup", "0");
        Assert.False(timedOut);
        BadInputAssert.OneLineError(run, 1, "GiB");
        Assert.True(peak < 800L << 20, $"peak resident memory {peak >> 20} MiB");
    }

    [Fact]
    public void Family4_ThousandsOfReturnSequencesAreRefusedBeforeTheCacheIsSized()
    {
        (CliRun run, _, bool timedOut) = _scene.RunChild(512L << 20, TimeSpan.FromMinutes(1),
            "generate", "--model", _scene.TinyModel(), "--prompt", "hi", "--do-sample", "--num-return-sequences", "20000");
        Assert.False(timedOut);
        BadInputAssert.OneLineError(run, 1, "20000");
    }

    [Theory]
    [InlineData("eval", "bleu", "--max-ngram-order", "1000000000")]
    [InlineData("eval", "rouge", "--bootstrap", "2000000000")]
    public void Family4_CountsThatWouldRunAwayAreUsageErrors(string command, string sub, string option, string value)
    {
        string hyp = _scene.Text("hyp.txt", "a b c\n"), reference = _scene.Text("ref.txt", "a b c\n");
        BadInputAssert.OneLineError(BadInputScene.Run(command, sub, "--hyp", hyp, "--ref", reference, option, value), 2, option);
    }

    [Fact]
    public void Family4_MoreValidationBatchesThanTheSplitHoldsReadEachBatchOnce()
    {
        string run = _scene.PathOf("run");
        string[] args = MicroTrain(_scene.Shards(), run, "--max-steps", "1");
        args[Array.IndexOf(args, "--eval-batches") + 1] = "1000000000";
        CliRun result = BadInputScene.Run(args);
        BadInputAssert.Succeeded(result);
        Assert.Contains("--eval-batches 1000000000 is more than the validation split holds", result.Error);
    }

    [Fact]
    public void Family4_AnEmptySpecialTokenIsRefused()
    {
        _scene.Text("in/a.txt", Lines(20));
        BadInputAssert.OneLineError(BadInputScene.Run("tokenizer", "train", "--input", _scene.PathOf("in"), "--vocab-size", "300", "--special", "", "--out", _scene.PathOf("tok")), 2, "--special");
    }

    // ---- 5. No wrong result without a word ----

    [Fact]
    public void Family5_NonFiniteWeightsAreRefusedUnlessAllowedAndThenWarnedAbout()
    {
        string model = _scene.TinyModel();
        var weights = GptCheckpoint.Load(model);
        weights.Values[123] = float.NaN;
        GptCheckpoint.Save(model, weights);

        BadInputAssert.OneLineError(BadInputScene.Run("eval", "ppl", "--model", model, "--data", _scene.Text("t.txt", "some text to score")), 1, "NaN");
        CliRun allowed = BadInputScene.Run("generate", "--model", model, "--prompt", "hi", "--max-new-tokens", "2", "--allow-nonfinite");
        BadInputAssert.Succeeded(allowed);
        Assert.StartsWith("warning: ", allowed.Error);
        Assert.Contains("NaN", allowed.Error);
    }

    [Fact]
    public void Family5_ATinyTemperatureBehavesAsGreedy()
    {
        string model = _scene.TinyModel();
        CliRun greedy = BadInputScene.Run("generate", "--model", model, "--prompt", "Hello", "--max-new-tokens", "12");
        CliRun tiny = BadInputScene.Run("generate", "--model", model, "--prompt", "Hello", "--max-new-tokens", "12", "--do-sample", "--temperature", "1e-38", "--seed", "5");
        BadInputAssert.Succeeded(tiny);
        Assert.Equal(greedy.Output, tiny.Output);
    }

    [Fact]
    public void Family5_AMaxLengthThePromptAlreadyFillsIsRefused() =>
        BadInputAssert.OneLineError(BadInputScene.Run("generate", "--model", _scene.TinyModel(), "--prompt", "one two three", "--max-length", "2"), 1, "--max-length");

    [Fact]
    public void Family5_ResumeWithAShapeThatContradictsTheCheckpointIsRefusedAndRecordsNothing()
    {
        string shards = _scene.Shards(), run = _scene.PathOf("run");
        BadInputAssert.Succeeded(BadInputScene.Run(MicroTrain(shards, run, "--max-steps", "2")));
        Dictionary<string, string> before = _scene.Snapshot();
        string[] args = MicroTrain(shards, run, "--max-steps", "4");
        args[Array.IndexOf(args, "--n-embd") + 1] = "64";
        BadInputAssert.OneLineError(BadInputScene.Run([.. args, "--resume"]), 2, "--n-embd");
        Assert.Equal(before, _scene.Snapshot());
    }

    [Fact]
    public void Family5_AFileGivenAsTheModelIsCalledAFileNotMissing()
    {
        string model = _scene.TinyModel();
        BadInputAssert.OneLineError(BadInputScene.Run("generate", "--model", Path.Combine(model, "config.json"), "--prompt", "hi"), 1, "is a file");
    }

    [Fact]
    public void Family5_InvalidUtf8InPerplexityDataDoesNotSuggestAnOptionThatCommandLacks()
    {
        CliRun run = BadInputScene.Run("eval", "ppl", "--model", _scene.TinyModel(), "--data", _scene.Bytes("bad.txt", [0x61, 0xff, 0xfe, 0x62]));
        BadInputAssert.OneLineError(run, 1, "UTF-8");
        Assert.DoesNotContain("--replace-invalid", run.Error);
    }

    // ---- 6. One model-directory type: what evaluation records lands in the one card, in both files ----

    [Fact]
    public void Family6_AnEvaluationRecordedOnRequestLandsInTheOneCardDocument()
    {
        string model = _scene.TinyModel();
        BadInputAssert.Succeeded(BadInputScene.Run("eval", "ppl", "--model", model, "--data", _scene.Text("t.txt", "In the beginning was the word."), "--update-card"));
        ModelCard card = ModelDirectory.LoadCard(model);
        Assert.Contains("| perplexity", card.Section(ModelCard.EvaluationsHeading));
        Assert.Equal(File.ReadAllText(Path.Combine(model, ModelCard.FileName)), File.ReadAllText(Path.Combine(model, ModelCard.HubFileName)));
    }
}
