using System.CommandLine;
using Myna.Generation;

namespace Myna.Cli;

/// <summary>The generation options shared by commands that generate (generate, chat, eval task), mapped onto <see cref="GenerationOptions"/>.</summary>
internal sealed class GenerationFlags
{
    private readonly Option<int?> _maxLength = new("--max-length") { Description = "Prompt + new tokens at most (transformers' max_length)." };
    private readonly Option<int?> _maxNewTokens = new("--max-new-tokens") { Description = $"New tokens at most (default {GenerationOptions.DefaultMaxNewTokens})." };
    private readonly Option<int> _numReturnSequences = new("--num-return-sequences") { Description = "Continuations to return (needs --do-sample when > 1).", DefaultValueFactory = _ => 1 };
    private readonly Option<bool> _doSample = new("--do-sample") { Description = "Sample instead of greedy decoding." };
    private readonly Option<float> _temperature = new("--temperature") { Description = "Sampling temperature (default 1).", DefaultValueFactory = _ => 1f };
    private readonly Option<int?> _topK = new("--top-k") { Description = "Keep only the K most likely tokens (off by default)." };
    private readonly Option<float?> _topP = new("--top-p") { Description = "Nucleus sampling: keep tokens up to probability P (off by default)." };
    private readonly Option<float> _repetitionPenalty = new("--repetition-penalty") { Description = "transformers' repetition penalty (1 = off).", DefaultValueFactory = _ => 1f };
    private readonly Option<float> _presencePenalty = new("--presence-penalty") { Description = "OpenAI presence penalty (0 = off)." };
    private readonly Option<float> _frequencyPenalty = new("--frequency-penalty") { Description = "OpenAI frequency penalty (0 = off)." };
    private readonly Option<string[]> _stop = new("--stop") { Description = "Stop when the text reaches this string (repeatable).", AllowMultipleArgumentsPerToken = false };
    private readonly Option<int?> _seed = new("--seed") { Description = "Seed for reproducible sampling." };
    private readonly Option<bool> _logProbs = new("--logprobs") { Description = "Report the log-probability of each generated token (--json)." };
    private readonly Option<bool> _ignoreEos = new("--ignore-eos") { Description = "Keep generating past <|endoftext|>." };

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { _maxLength, _maxNewTokens, _numReturnSequences, _doSample, _temperature, _topK, _topP,
                     _repetitionPenalty, _presencePenalty, _frequencyPenalty, _stop, _seed, _logProbs, _ignoreEos })
            command.Options.Add(option);
    }

    /// <summary>The options the command line asks for, validated; a bad combination is a usage error naming the flags.</summary>
    public GenerationOptions Read(ParseResult parsed)
    {
        GenerationOptions options = Build(parsed.GetValue(_maxLength), parsed.GetValue(_maxNewTokens), parsed.GetValue(_numReturnSequences), parsed.GetValue(_doSample),
            parsed.GetValue(_temperature), parsed.GetValue(_topK), parsed.GetValue(_topP), parsed.GetValue(_repetitionPenalty),
            parsed.GetValue(_presencePenalty), parsed.GetValue(_frequencyPenalty), parsed.GetValue(_stop), parsed.GetValue(_seed),
            parsed.GetValue(_logProbs), parsed.GetValue(_ignoreEos));
        try
        {
            options.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new CliException(FlagNames(ex.Message), MynaApp.UsageError);
        }
        return options;
    }

    private static GenerationOptions Build(int? maxLength, int? maxNewTokens, int numReturnSequences, bool doSample, float temperature,
        int? topK, float? topP, float repetitionPenalty, float presence, float frequency, string[]? stop, int? seed, bool logProbs, bool ignoreEos) =>
        new()
        {
            MaxLength = maxLength,
            MaxNewTokens = maxNewTokens,
            NumReturnSequences = numReturnSequences,
            DoSample = doSample,
            Temperature = temperature,
            TopK = topK,
            TopP = topP,
            RepetitionPenalty = repetitionPenalty,
            PresencePenalty = presence,
            FrequencyPenalty = frequency,
            StopSequences = stop ?? [],
            Seed = seed,
            ReturnLogProbs = logProbs,
            StopAtEndOfText = !ignoreEos,
        };

    /// <summary>Names options as the user typed them (--top-p), not as the C# property (TopP).</summary>
    private static string FlagNames(string message) => message
        .Replace("MaxNewTokens", "--max-new-tokens").Replace("MaxLength", "--max-length").Replace("NumReturnSequences", "--num-return-sequences")
        .Replace("DoSample", "--do-sample").Replace("Temperature", "--temperature").Replace("TopK", "--top-k").Replace("TopP", "--top-p")
        .Replace("RepetitionPenalty", "--repetition-penalty").Replace("PresencePenalty", "--presence-penalty")
        .Replace("FrequencyPenalty", "--frequency-penalty").Replace("StopSequences", "--stop").TrimEnd('.');
}
