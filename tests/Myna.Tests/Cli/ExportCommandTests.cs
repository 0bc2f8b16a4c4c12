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
}
