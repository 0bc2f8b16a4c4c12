using System.Globalization;
using System.Text.Json;
using Myna.Generation;
using Myna.Generation.OpenAi;
using Myna.Server.Errors;
using Myna.Server.Hosting;

namespace Myna.Server.OpenAi;

/// <summary>Reads the sampling parameters chat and completion requests share, checking each type and range (OpenAI's).</summary>
internal static class SamplingParametersReader
{
    /// <summary>Most stop strings a request may give, as OpenAI allows.</summary>
    public const int MaxStopSequences = 4;

    /// <summary>
    /// Reads the shared parameters; <paramref name="maxTokens"/> is the already-chosen length field (it differs between
    /// chat and completions), and the log-probability fields are read by each endpoint (their names and ranges differ).
    /// </summary>
    /// <exception cref="OpenAiException">400 naming the parameter.</exception>
    public static OpenAiSamplingParameters Read(JsonRequest request, ServedModel served, int? maxTokens, bool logProbs, int topLogProbs = 0, int? promptLogProbs = null)
    {
        IReadOnlyDictionary<int, float> logitBias = ReadLogitBias(request, served.Model.Config.VocabSize);
        // OpenAI's end-user id: checked, and without effect on generation.
        _ = request.String("user");
        return new OpenAiSamplingParameters
        {
            MaxTokens = maxTokens,
            Temperature = request.Number("temperature", 0, 2) ?? 1,
            TopP = request.Number("top_p", 0, 1),
            N = (int)(request.Integer("n", 1, served.MaxChoices) ?? 1),
            Stop = ReadStop(request),
            PresencePenalty = request.Number("presence_penalty", -2, 2) ?? 0,
            FrequencyPenalty = request.Number("frequency_penalty", -2, 2) ?? 0,
            Seed = request.Integer("seed", long.MinValue, long.MaxValue),
            TopK = (int?)request.Integer("top_k", 0, served.Model.Config.VocabSize),
            RepetitionPenalty = request.Number("repetition_penalty", 1e-3, 100),
            IgnoreEos = request.Boolean("ignore_eos") ?? false,
            LogProbs = logProbs,
            TopLogProbs = topLogProbs,
            PromptLogProbs = promptLogProbs,
            LogitBias = logitBias,
        };
    }

    /// <summary>
    /// <c>logit_bias</c>: an object from token ids (as strings, OpenAI's JSON form) to biases of −100 to 100; every id
    /// must be in the vocabulary.
    /// </summary>
    private static IReadOnlyDictionary<int, float> ReadLogitBias(JsonRequest request, int vocabulary)
    {
        var biases = new Dictionary<int, float>();
        if (request.Get("logit_bias") is not { } bias) return biases;
        if (bias.ValueKind != JsonValueKind.Object) throw JsonRequest.WrongType("logit_bias", "an object mapping token ids to biases", bias);
        foreach (JsonProperty entry in bias.EnumerateObject())
        {
            if (!int.TryParse(entry.Name, NumberStyles.None, CultureInfo.InvariantCulture, out int token) || token >= vocabulary)
                throw OpenAiException.InvalidParameter("logit_bias",
                    $"'logit_bias' keys must be token ids from 0 to {vocabulary - 1}; '{entry.Name}' is not.");
            double value = JsonRequest.NumberOf(entry.Value, "logit_bias", -GenerationOptions.MaxLogitBias, GenerationOptions.MaxLogitBias);
            biases[token] = (float)value;
        }
        return biases;
    }

    /// <summary><c>stream</c> and <c>stream_options.include_usage</c>.</summary>
    public static (bool Stream, bool IncludeUsage) ReadStreaming(JsonRequest request)
    {
        bool stream = request.Boolean("stream") ?? false;
        bool includeUsage = false;
        if (request.Get("stream_options") is { } options)
        {
            if (options.ValueKind != JsonValueKind.Object) throw JsonRequest.WrongType("stream_options", "an object", options);
            if (options.TryGetProperty("include_usage", out JsonElement usage) && usage.ValueKind != JsonValueKind.Null)
                includeUsage = JsonRequest.BooleanOf(usage, "stream_options.include_usage");
        }
        return (stream, includeUsage);
    }

    /// <summary>A length field (max_tokens, max_completion_tokens): 1 or more; the context check comes once the prompt is known.</summary>
    public static int? ReadLength(JsonRequest request, string name) => (int?)request.Integer(name, 1, int.MaxValue);

    private static IReadOnlyList<string> ReadStop(JsonRequest request)
    {
        if (request.Get("stop") is not { } stop) return [];
        List<string> strings;
        if (stop.ValueKind == JsonValueKind.String) strings = [stop.GetString()!];
        else if (stop.ValueKind == JsonValueKind.Array)
            strings = stop.EnumerateArray().Select((item, i) => JsonRequest.StringOf(item, $"stop[{i}]")).ToList();
        else throw JsonRequest.WrongType("stop", "a string or an array of strings", stop);
        if (strings.Count > MaxStopSequences) throw OpenAiException.InvalidParameter("stop", $"'stop' may hold at most {MaxStopSequences} strings; it holds {strings.Count}.");
        if (strings.Any(s => s.Length == 0)) throw OpenAiException.InvalidParameter("stop", "'stop' strings may not be empty.");
        return strings;
    }
}
