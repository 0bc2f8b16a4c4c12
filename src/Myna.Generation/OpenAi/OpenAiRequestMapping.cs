namespace Myna.Generation.OpenAi;

/// <summary>
/// The one place OpenAI request parameters become <see cref="GenerationOptions"/>: temperature 0 (or top_p 0) means
/// greedy, a greedy request for n choices decodes once and returns n copies (the engine refuses greedy n &gt; 1 as
/// pointless work), an omitted length means the rest of the context, and <c>ignore_eos</c> turns off the end-of-text stop.
/// The server and <c>MynaChatClient</c> both map through here.
/// </summary>
public static class OpenAiRequestMapping
{
    /// <summary>Whether the parameters ask for greedy decoding (argmax), OpenAI's temperature 0 or nucleus of size 0.</summary>
    public static bool IsGreedy(OpenAiSamplingParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return parameters.Temperature == 0 || parameters.TopP == 0;
    }

    /// <summary>Copies of each decoded sequence the answer holds: n for greedy requests (all choices are equal), else 1.</summary>
    public static int Copies(OpenAiSamplingParameters parameters) => IsGreedy(parameters) ? parameters.N : 1;

    /// <summary>New tokens a prompt of <paramref name="promptTokens"/> may get: the requested maximum, else the rest of the context.</summary>
    public static int MaxNewTokens(OpenAiSamplingParameters parameters, int promptTokens, int contextLength)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return parameters.MaxTokens ?? Math.Max(0, contextLength - promptTokens);
    }

    /// <summary>
    /// The generation options for a prompt of <paramref name="promptTokens"/> tokens.
    /// <paramref name="templateStops"/> come first (the chat template's turn ends), the request's stops after them.
    /// </summary>
    public static GenerationOptions ToGenerationOptions(OpenAiSamplingParameters parameters, int promptTokens, int contextLength, IReadOnlyList<string>? templateStops = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        bool greedy = IsGreedy(parameters);
        return new GenerationOptions
        {
            MaxNewTokens = MaxNewTokens(parameters, promptTokens, contextLength),
            DoSample = !greedy,
            // Greedy decoding takes the argmax, which no temperature changes; 1 keeps the options valid.
            Temperature = greedy ? 1f : (float)parameters.Temperature,
            TopP = greedy || parameters.TopP is null or 1 ? null : (float)parameters.TopP,
            TopK = parameters.TopK is null or 0 ? null : parameters.TopK,
            RepetitionPenalty = (float)(parameters.RepetitionPenalty ?? 1),
            PresencePenalty = (float)parameters.PresencePenalty,
            FrequencyPenalty = (float)parameters.FrequencyPenalty,
            StopSequences = [.. templateStops ?? [], .. parameters.Stop],
            StopAtEndOfText = !parameters.IgnoreEos,
            NumReturnSequences = greedy ? 1 : parameters.N,
            // OpenAI seeds are 64-bit; the engine's streams take 32 bits (as MynaChatClient folds ChatOptions.Seed).
            Seed = parameters.Seed is long seed ? unchecked((int)seed) : null,
            ReturnLogProbs = parameters.LogProbs,
            TopLogProbs = parameters.LogProbs ? parameters.TopLogProbs : 0,
            PromptLogProbs = parameters.PromptLogProbs,
            LogitBias = parameters.LogitBias,
        };
    }

    /// <summary>
    /// The OpenAI <c>finish_reason</c> of an engine finish: the length limit and a full context are "length", a blocked
    /// phrase "content_filter", the rest "stop".
    /// </summary>
    public static string FinishReasonName(FinishReason reason) => reason switch
    {
        FinishReason.Length or FinishReason.ContextFull => "length",
        FinishReason.ContentFilter => "content_filter",
        _ => "stop",
    };
}
