using Myna.Generation;

namespace Myna.Tests.Generation;

public class GenerationOptionsTests
{
    public static TheoryData<GenerationOptions, string> Invalid() => new()
    {
        { new GenerationOptions { Temperature = 0 }, "Temperature" },
        { new GenerationOptions { Temperature = float.NaN }, "Temperature" },
        { new GenerationOptions { TopK = -1 }, "TopK" },
        { new GenerationOptions { TopP = 0 }, "TopP" },
        { new GenerationOptions { TopP = 1.5f }, "TopP" },
        { new GenerationOptions { RepetitionPenalty = 0 }, "RepetitionPenalty" },
        { new GenerationOptions { MaxNewTokens = -1 }, "MaxNewTokens" },
        { new GenerationOptions { MaxLength = 0 }, "MaxLength" },
        { new GenerationOptions { NumReturnSequences = 0 }, "NumReturnSequences" },
        { new GenerationOptions { NumReturnSequences = 2 }, "DoSample" },
        { new GenerationOptions { StopSequences = [""] }, "StopSequences" },
        { new GenerationOptions { FrequencyPenalty = float.PositiveInfinity }, "FrequencyPenalty" },
        { new GenerationOptions { TopLogProbs = 2 }, "TopLogProbs" },
        { new GenerationOptions { TopLogProbs = 21, ReturnLogProbs = true }, "TopLogProbs" },
        { new GenerationOptions { PromptLogProbs = 21 }, "PromptLogProbs" },
        { new GenerationOptions { LogitBias = new Dictionary<int, float> { [1] = -101f } }, "LogitBias" },
        { new GenerationOptions { LogitBias = new Dictionary<int, float> { [1] = float.NaN } }, "LogitBias" },
        { new GenerationOptions { BlockedPhrases = [""] }, "BlockedPhrases" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void InvalidOptionsNameTheOption(GenerationOptions options, string name) =>
        Assert.Contains(name, Assert.Throws<ArgumentException>(options.Validate).Message);

    [Theory]
    [InlineData(null, null, 10, 50)]
    [InlineData(7, null, 10, 7)]
    [InlineData(null, 100, 10, 90)]
    [InlineData(null, 5, 10, 0)]
    [InlineData(3, 100, 10, 3)]
    public void MaxNewTokensIsPrimaryAndMaxLengthCountsThePrompt(int? maxNew, int? maxLength, int prompt, int expected) =>
        Assert.Equal(expected, new GenerationOptions { MaxNewTokens = maxNew, MaxLength = maxLength }.NewTokenBudget(prompt));
}
