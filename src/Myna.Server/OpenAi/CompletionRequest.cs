using System.Text.Json;
using Myna.Generation.OpenAi;
using Myna.Server.Errors;
using Myna.Server.Hosting;

namespace Myna.Server.OpenAi;

/// <summary>A checked <c>POST /v1/completions</c> body.</summary>
/// <param name="Model">The model named, or null.</param>
/// <param name="Prompts">The prompts' ids (a string prompt encoded, an empty one as end-of-text, GPT-2's unconditional start).</param>
/// <param name="Sampling">The sampling parameters.</param>
/// <param name="Stream">Whether to answer with server-sent events.</param>
/// <param name="IncludeUsage">Whether a stream ends with a usage chunk.</param>
/// <param name="Echo">Whether each choice's text starts with its prompt.</param>
/// <param name="IgnoredFields">Top-level fields this server did not read.</param>
internal sealed record CompletionRequest(
    string? Model, IReadOnlyList<int[]> Prompts, OpenAiSamplingParameters Sampling, bool Stream, bool IncludeUsage, bool Echo, IReadOnlyList<string> IgnoredFields)
{
    /// <summary>OpenAI's default length for completions (the legacy API's max_tokens default).</summary>
    public const int DefaultMaxTokens = 16;

    /// <summary>The largest <c>logprobs</c> (alternatives per token) the completions API accepts, OpenAI's.</summary>
    public const int MaxLogProbs = 5;

    /// <summary>Most prompts one request may batch: they are queued together and must fit the queue.</summary>
    public const int MaxPrompts = 16;

    /// <summary>Reads and checks a completion request.</summary>
    /// <exception cref="OpenAiException">400 naming the parameter that is missing, mistyped, out of range or unsupported.</exception>
    public static CompletionRequest Read(JsonRequest request, ServedModel served)
    {
        string? model = request.String("model");
        IReadOnlyList<int[]> prompts = ReadPrompts(request, served);
        request.Refuse("suffix", "'suffix' is not supported: this model only continues text (no fill-in-the-middle).");
        bool echo = request.Boolean("echo") ?? false;
        // The legacy API's logprobs is the number of alternatives per token (0 to 5); with echo, the prompt is scored too.
        int? logProbs = (int?)request.Integer("logprobs", 0, MaxLogProbs);
        // With echo, max_tokens may be 0: the prompt is only scored (how evaluation harnesses compute log-likelihoods).
        int? maxTokens = (int?)request.Integer("max_tokens", echo ? 0 : 1, int.MaxValue) ?? DefaultMaxTokens;
        OpenAiSamplingParameters sampling = SamplingParametersReader.Read(request, served, maxTokens, logProbs is not null, logProbs ?? 0, echo ? logProbs : null);
        if (request.Integer("best_of", 1, served.MaxChoices) is { } bestOf && bestOf != sampling.N)
            throw OpenAiException.InvalidParameter("best_of", $"'best_of' must equal 'n' ({sampling.N}); ranking extra candidates is not supported.", "unsupported_parameter");
        (bool stream, bool includeUsage) = SamplingParametersReader.ReadStreaming(request);
        return new CompletionRequest(model, prompts, sampling, stream, includeUsage, echo, request.IgnoredFields);
    }

    private static IReadOnlyList<int[]> ReadPrompts(JsonRequest request, ServedModel served)
    {
        JsonElement prompt = request.Get("prompt") ?? throw OpenAiException.InvalidParameter("prompt", "'prompt' is required.", "missing_required_parameter");
        List<int[]> prompts;
        if (prompt.ValueKind == JsonValueKind.String) prompts = [Encode(prompt.GetString()!, served)];
        else if (prompt.ValueKind != JsonValueKind.Array) throw JsonRequest.WrongType("prompt", "a string, an array of strings, an array of token ids or an array of such arrays", prompt);
        else
        {
            JsonElement[] items = prompt.EnumerateArray().ToArray();
            if (items.Length == 0) throw OpenAiException.InvalidParameter("prompt", "'prompt' may not be an empty array.");
            if (items.All(i => i.ValueKind == JsonValueKind.String)) prompts = items.Select(i => Encode(i.GetString()!, served)).ToList();
            else if (items.All(i => i.ValueKind == JsonValueKind.Number)) prompts = [Ids(items, "prompt", served)];
            else if (items.All(i => i.ValueKind == JsonValueKind.Array))
                prompts = items.Select((item, p) => Ids(item.EnumerateArray().ToArray(), $"prompt[{p}]", served)).ToList();
            else throw OpenAiException.InvalidParameter("prompt", "'prompt' arrays must hold only strings, only token ids, or only arrays of token ids.", "invalid_type");
        }
        if (prompts.Count > MaxPrompts) throw OpenAiException.InvalidParameter("prompt", $"'prompt' may hold at most {MaxPrompts} prompts; it holds {prompts.Count}.");
        return prompts;
    }

    private static int[] Encode(string text, ServedModel served)
    {
        int[] ids = served.Tokenizer.Encode(text);
        // An empty prompt means "start from nothing", which GPT-2 spells as its end-of-text token.
        return ids.Length > 0 || served.Model.EndOfTextId is not { } endOfText ? ids : [endOfText];
    }

    private static int[] Ids(JsonElement[] items, string param, ServedModel served)
    {
        if (items.Length == 0) throw OpenAiException.InvalidParameter(param, $"'{param}' may not be empty.");
        int vocabulary = served.Model.Config.VocabSize;
        return items.Select((item, i) => (int)JsonRequest.IntegerOf(item, $"{param}[{i}]", 0, vocabulary - 1)).ToArray();
    }
}
