using System.Text.Json.Nodes;
using Myna.Models;
using Myna.Models.Checkpoints;

namespace Myna.Tests.Models.Checkpoints;

public sealed class GptCheckpointTests : IDisposable
{
    private static readonly GptConfig TinyConfig = new() { VocabSize = 50, ContextLength = 16, EmbeddingSize = 8, HeadCount = 2, LayerCount = 2 };
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "myna-ckpt-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    private static GptWeights RandomWeights(GptConfig config, int seed = 3)
    {
        var weights = new GptWeights(config);
        var random = new Random(seed);
        for (int i = 0; i < weights.Values.Length; i++) weights.Values[i] = (float)(random.NextDouble() - 0.5);
        return weights;
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void NonFiniteWeightsAreRefusedNamingTheTensorUnlessAllowed(float bad)
    {
        GptWeights saved = RandomWeights(TinyConfig);
        ParameterEntry entry = saved.Layout["h.1.mlp.c_fc.weight"];
        saved.Of(entry)[17] = bad;
        GptCheckpoint.Save(_directory, saved);

        var refused = Assert.Throws<ModelFormatException>(() => GptCheckpoint.Load(_directory));
        Assert.Contains("h.1.mlp.c_fc.weight", refused.Message);
        Assert.Contains("element 17", refused.Message);
        GptWeights loaded = GptCheckpoint.Load(_directory, allowNonFinite: true);
        Assert.Equal(bad, loaded.Of(entry)[17]);
    }

    [Fact]
    public void TheNonFiniteScanFindsTheFirstOneAtAnyPosition()
    {
        var random = new Random(5);
        for (int length = 0; length < 80; length++)
        {
            float[] values = Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2e38 - 1e38)).ToArray();
            Assert.Equal(-1, GptCheckpoint.IndexOfNonFinite(values));
            for (int at = 0; at < length; at++)
            {
                float[] copy = (float[])values.Clone();
                copy[at] = float.NaN;
                if (at + 3 < length) copy[at + 3] = float.PositiveInfinity;
                Assert.Equal(at, GptCheckpoint.IndexOfNonFinite(copy));
            }
        }
        Assert.Equal(-1, GptCheckpoint.IndexOfNonFinite([float.MaxValue, float.Epsilon, -0f, float.MinValue]));
    }

    [Fact]
    public void AFileGivenAsTheModelIsCalledAFile()
    {
        Directory.CreateDirectory(_directory);
        string file = Path.Combine(_directory, "model.safetensors");
        File.WriteAllText(file, "x");
        var refused = Assert.Throws<ModelFormatException>(() => GptCheckpoint.Load(file));
        Assert.Contains("is a file", refused.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SaveThenLoadGivesTheSameWeightsAndConfig(bool tied)
    {
        GptConfig config = TinyConfig with { TiedEmbeddings = tied };
        GptWeights saved = RandomWeights(config);
        GptCheckpoint.Save(_directory, saved, eosTokenId: 49);

        GptWeights loaded = GptCheckpoint.Load(_directory);
        Assert.Equal(config, loaded.Config);
        Assert.Equal(saved.Values, loaded.Values);
        using SafeTensorsFile file = SafeTensorsFile.Open(Path.Combine(_directory, GptCheckpoint.WeightsFileName));
        Assert.NotNull(file.Find("transformer.h.1.mlp.c_proj.weight"));
        Assert.Equal(!tied, file.Find("lm_head.weight") is not null);
        Assert.Equal(49, JsonNode.Parse(File.ReadAllText(Path.Combine(_directory, "config.json")))!["eos_token_id"]!.GetValue<int>());
    }

    [Fact]
    public void LoadsGpt2ModelNamesWithoutPrefixAndHalfPrecision()
    {
        GptWeights saved = RandomWeights(TinyConfig);
        Directory.CreateDirectory(_directory);
        HfGpt2Config.Write(Path.Combine(_directory, "config.json"), TinyConfig, null, null);
        SafeTensorsWriter.Write(Path.Combine(_directory, GptCheckpoint.WeightsFileName),
            saved.Layout.Entries.Select(e => new TensorToWrite(e.Name, e.Shape.Select(d => (long)d).ToArray(), saved.Values.AsMemory(e.Offset, e.Length), SafeTensorsDType.F16)).ToList());

        GptWeights loaded = GptCheckpoint.Load(_directory);
        for (int i = 0; i < saved.Values.Length; i++) Assert.Equal((float)(Half)saved.Values[i], loaded.Values[i]);
    }

    [Fact]
    public void MissingTensorIsNamed()
    {
        GptWeights saved = RandomWeights(TinyConfig);
        Directory.CreateDirectory(_directory);
        HfGpt2Config.Write(Path.Combine(_directory, "config.json"), TinyConfig, null, null);
        SafeTensorsWriter.Write(Path.Combine(_directory, GptCheckpoint.WeightsFileName),
            saved.Layout.Entries.Where(e => e.Name != "h.1.ln_2.bias")
                .Select(e => new TensorToWrite(e.Name, e.Shape.Select(d => (long)d).ToArray(), saved.Values.AsMemory(e.Offset, e.Length))).ToList());
        Assert.Contains("'h.1.ln_2.bias'", Assert.Throws<ModelFormatException>(() => GptCheckpoint.Load(_directory)).Message);
    }

    [Fact]
    public void ConfigThatDisagreesWithTheWeightsIsAShapeError()
    {
        GptCheckpoint.Save(_directory, RandomWeights(TinyConfig));
        HfGpt2Config.Write(Path.Combine(_directory, "config.json"), TinyConfig with { VocabSize = 60 }, null, null);
        string message = Assert.Throws<ModelFormatException>(() => GptCheckpoint.Load(_directory)).Message;
        Assert.Contains("wte.weight", message);
        Assert.Contains("[50, 8]", message);
        Assert.Contains("[60, 8]", message);
    }

    [Theory]
    [InlineData("model_type", "\"llama\"", "model_type")]
    [InlineData("activation_function", "\"relu\"", "activation_function")]
    [InlineData("layer_norm_epsilon", "1e-6", "layer_norm_epsilon")]
    [InlineData("n_head", "3", "multiple")]
    [InlineData("n_inner", "100", "n_inner")]
    [InlineData("scale_attn_weights", "false", "scale_attn_weights")]
    [InlineData("architectures", "[\"LlamaForCausalLM\"]", "LlamaForCausalLM")]
    public void UnsupportedConfigsAreRefusedByName(string key, string json, string expected)
    {
        GptCheckpoint.Save(_directory, RandomWeights(TinyConfig));
        string path = Path.Combine(_directory, "config.json");
        JsonObject config = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        config[key] = JsonNode.Parse(json);
        File.WriteAllText(path, config.ToJsonString());
        string message = Assert.Throws<ModelFormatException>(() => GptCheckpoint.Load(_directory)).Message;
        Assert.Contains(expected, message);
        Assert.Contains("config.json", message);
    }

    [Fact]
    public void PickleOnlyDirectoryGetsAConversionHint()
    {
        Directory.CreateDirectory(_directory);
        HfGpt2Config.Write(Path.Combine(_directory, "config.json"), TinyConfig, null, null);
        File.WriteAllBytes(Path.Combine(_directory, "pytorch_model.bin"), [1, 2, 3]);
        Assert.Contains("save_pretrained", Assert.Throws<ModelFormatException>(() => GptCheckpoint.Load(_directory)).Message);
    }

    [Fact]
    public void MissingDirectoryIsNamed() =>
        Assert.Contains(_directory, Assert.Throws<ModelFormatException>(() => GptCheckpoint.Load(_directory)).Message);
}
