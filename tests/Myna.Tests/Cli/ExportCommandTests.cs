using Myna.Models.Checkpoints;
using Myna.Text.Tokenization;
using Myna.Generation;
using Myna.Tests.Generation;

namespace Myna.Tests.Cli;

public sealed class ExportCommandTests(TinyModelDirectory model) : IClassFixture<TinyModelDirectory>, IDisposable
{
    private readonly string _out = Path.Combine(Path.GetTempPath(), "myna-export-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_out)) Directory.Delete(_out, recursive: true);
        if (File.Exists(_out + ".gguf")) File.Delete(_out + ".gguf");
    }

    [Fact]
    public void HfExportInHalfPrecisionLoadsAndGeneratesLikeTheOriginalWithinRounding()
    {
        CliRun run = CliRun.Of("export", "--model", model.Path, "--format", "hf", "--dtype", "f16", "--out", _out);
        Assert.Equal(0, run.ExitCode);
        GptLanguageModel original = GptLanguageModel.FromPretrained(model.Path), exported = GptLanguageModel.FromPretrained(_out);
        Assert.NotNull(exported.Tokenizer);
        Assert.Equal(original.Tokenizer!.Fingerprint, exported.Tokenizer!.Fingerprint);
        for (int i = 0; i < original.Weights.Values.Length; i++) Assert.Equal((float)(Half)original.Weights.Values[i], exported.Weights.Values[i]);
    }

    [Fact]
    public void HfExportCarriesWhatTransformersReadsBesideTheWeights()
    {
        Assert.Equal(0, CliRun.Of("export", "--model", model.Path, "--format", "hf", "--out", _out).ExitCode);

        using var config = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(_out, "config.json")));
        Assert.Equal(0.0, config.RootElement.GetProperty("resid_pdrop").GetDouble()); // as trained: Myna uses no dropout
        using var tokenizerConfig = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(_out, HfTokenizerConfig.ConfigFileName)));
        Assert.Equal("GPT2Tokenizer", tokenizerConfig.RootElement.GetProperty("tokenizer_class").GetString());
        Assert.Equal("<|endoftext|>", tokenizerConfig.RootElement.GetProperty("eos_token").GetString());
        Assert.Equal(GptLanguageModel.FromPretrained(model.Path).Config.ContextLength, tokenizerConfig.RootElement.GetProperty("model_max_length").GetInt32());
        Assert.Contains("\"eos_token\": \"<|endoftext|>\"", File.ReadAllText(Path.Combine(_out, HfTokenizerConfig.SpecialTokensMapFileName)));

        ModelCard card = ModelCard.Parse(File.ReadAllText(Path.Combine(_out, ModelCard.HubFileName)));
        Assert.Equal("text-generation", card.MetadataList("pipeline_tag").Single());
        Assert.Contains("gpt2", card.MetadataList("tags"));
        Assert.True(File.Exists(Path.Combine(_out, ModelCard.FileName)));
    }

    [Fact]
    public void GgufExportWritesAFile()
    {
        CliRun run = CliRun.Of("export", "--model", model.Path, "--format", "gguf", "--out", _out + ".gguf");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("GGUF"u8.ToArray(), File.ReadAllBytes(_out + ".gguf")[..4]);
    }

    [Theory]
    [InlineData("hf", "q8_0")]
    [InlineData("gguf", "bf16")]
    [InlineData("onnx", "f32")]
    public void MismatchedFormatAndTypeAreUsageErrors(string format, string dtype)
    {
        CliRun run = CliRun.Of("export", "--model", model.Path, "--format", format, "--dtype", dtype, "--out", _out);
        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void HfExportIntoAFolderWithOtherFilesIsRefusedUnlessForcedAndThenHoldsOnlyTheExport()
    {
        Directory.CreateDirectory(_out);
        File.WriteAllText(Path.Combine(_out, "pytorch_model.bin"), "from another model");

        CliRun refused = CliRun.Of("export", "--model", model.Path, "--format", "hf", "--out", _out);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("--force", refused.Error);
        Assert.True(File.Exists(Path.Combine(_out, "pytorch_model.bin")));

        CliRun forced = CliRun.Of("export", "--model", model.Path, "--format", "hf", "--out", _out, "--force");
        Assert.Equal(0, forced.ExitCode);
        Assert.False(File.Exists(Path.Combine(_out, "pytorch_model.bin")));
        Assert.True(File.Exists(Path.Combine(_out, "model.safetensors")));
    }

    [Fact]
    public void ExportOntoTheModelItselfIsRefusedAndTheModelUntouched()
    {
        byte[] weights = File.ReadAllBytes(Path.Combine(model.Path, "model.safetensors"));
        CliRun run = CliRun.Of("export", "--model", model.Path, "--format", "hf", "--dtype", "f16", "--out", model.Path, "--force");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("the input itself", run.Error);
        Assert.Equal(weights, File.ReadAllBytes(Path.Combine(model.Path, "model.safetensors")));
    }

    [Fact]
    public void GgufOntoADeviceOrAnExistingFileIsRefused()
    {
        CliRun device = CliRun.Of("export", "--model", model.Path, "--format", "gguf", "--out", "/dev/null", "--force");
        Assert.Equal(1, device.ExitCode);
        Assert.Contains("character device", device.Error);

        File.WriteAllText(_out + ".gguf", "old");
        CliRun existing = CliRun.Of("export", "--model", model.Path, "--format", "gguf", "--out", _out + ".gguf");
        Assert.Equal(1, existing.ExitCode);
        Assert.Equal("old", File.ReadAllText(_out + ".gguf"));
        Assert.Equal(0, CliRun.Of("export", "--model", model.Path, "--format", "gguf", "--out", _out + ".gguf", "--force").ExitCode);
    }
}
