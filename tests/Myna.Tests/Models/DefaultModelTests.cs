using System.Text.Json;
using Myna.Generation;
using Myna.Models.Checkpoints;

namespace Myna.Tests.Models;

/// <summary>The model shipped in models/myna-default: it loads, it is what its card says, and it generates reproducibly.</summary>
public class DefaultModelTests
{
    private static readonly Lazy<string> Directory = new(() =>
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Myna.slnx"))) return Path.Combine(dir.FullName, "models", "myna-default");
        }
        throw new InvalidOperationException("the repository root (Myna.slnx) was not found above the test binaries.");
    });

    private static readonly Lazy<GptLanguageModel> Model = new(() => GptLanguageModel.FromPretrained(Directory.Value));

    [Fact]
    public void LoadsAndItsConfigAndTokenizerMatchTheCard()
    {
        GptLanguageModel model = Model.Value;
        string card = File.ReadAllText(Path.Combine(Directory.Value, ModelCard.FileName));
        var c = model.Config;
        Assert.Contains($"- shape: {c.LayerCount} layers, {c.EmbeddingSize} channels, {c.HeadCount} heads, context {c.ContextLength}, vocabulary {c.VocabSize}", card);
        Assert.Contains($"- tokenizer fingerprint: `{model.Tokenizer!.Fingerprint}`", card);
        Assert.Equal(model.Tokenizer.VocabSize, c.VocabSize);

        using SafeTensorsFile weights = SafeTensorsFile.Open(Path.Combine(Directory.Value, GptCheckpoint.WeightsFileName));
        Assert.All(weights.Tensors, t => Assert.Equal(SafeTensorsDType.F16, t.DType));
        Assert.True(new FileInfo(weights.Path).Length <= 40_000_000, "the shipped weights must stay within 40 MB");
    }

    [Fact]
    public void HeldOutSplitWasMadeWithTheModelsTokenizer()
    {
        using JsonDocument meta = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory.Value, "heldout", "meta.json")));
        Assert.Equal(Model.Value.Tokenizer!.Fingerprint, meta.RootElement.GetProperty("tokenizer").GetProperty("fingerprint").GetString());
    }

    [Fact]
    public void GreedyGenerationIsDeterministic()
    {
        var options = new GenerationOptions { MaxNewTokens = 24 };
        string first = Model.Value.GenerateText("And God said,", options)[0].Text;
        Assert.Equal(first, Model.Value.GenerateText("And God said,", options)[0].Text);
        Assert.False(string.IsNullOrWhiteSpace(first));
    }
}
