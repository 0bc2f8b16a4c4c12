using Myna.Models;

namespace Myna.Tests.Models;

public class GptConfigTests
{
    // Parameter counts of the released checkpoints, as transformers reports them (num_parameters(), tied head).
    [Theory]
    [InlineData("gpt2", 124_439_808)]
    [InlineData("gpt2-medium", 354_823_168)]
    [InlineData("gpt2-large", 774_030_080)]
    [InlineData("gpt2-xl", 1_557_611_200)]
    public void PresetsHaveTheReleasedParameterCounts(string preset, int parameters)
    {
        Assert.Equal(parameters, ParameterLayout.ForConfig(GptConfig.FromPreset(preset)).TotalLength);
    }

    [Fact]
    public void EveryPresetNameResolvesAndValidates()
    {
        foreach (string name in GptConfig.PresetNames) GptConfig.FromPreset(name).Validate();
        Assert.Same(GptConfig.Gpt2Small, GptConfig.FromPreset("GPT2"));
        Assert.Equal(64, GptConfig.Gpt2Small.HeadSize);
    }

    [Fact]
    public void UntiedHeadAddsLmHeadWeight()
    {
        var config = GptConfig.Tiny with { TiedEmbeddings = false };
        ParameterLayout tied = ParameterLayout.ForConfig(GptConfig.Tiny), untied = ParameterLayout.ForConfig(config);
        Assert.Equal(tied.TotalLength + config.VocabSize * config.EmbeddingSize, untied.TotalLength);
        Assert.Equal("lm_head.weight", untied.LanguageModelHead.Name);
        Assert.Equal([config.VocabSize, config.EmbeddingSize], untied.LanguageModelHead.Shape);
    }

    [Theory]
    [InlineData(0, 1, 1, 1, 1, "VocabSize")]
    [InlineData(1, 0, 1, 1, 1, "ContextLength")]
    [InlineData(1, 1, 0, 1, 1, "EmbeddingSize")]
    [InlineData(1, 1, 1, 0, 1, "HeadCount")]
    [InlineData(1, 1, 1, 1, 0, "LayerCount")]
    public void ValidationNamesTheBadSetting(int vocab, int context, int embedding, int heads, int layers, string setting)
    {
        var config = new GptConfig { VocabSize = vocab, ContextLength = context, EmbeddingSize = embedding, HeadCount = heads, LayerCount = layers };
        var error = Assert.Throws<ArgumentException>(config.Validate);
        Assert.Contains(setting, error.Message);
    }
}
