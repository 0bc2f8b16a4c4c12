namespace Myna.Generation.OpenAi;

/// <summary>
/// The OpenAI sampling parameters of a chat or completion request, free of HTTP and JSON, so that every OpenAI-shaped
/// front end (the server, <c>MynaChatClient</c>'s ChatOptions) maps them to <see cref="GenerationOptions"/> the same
/// way, through <see cref="OpenAiRequestMapping"/>. Defaults are OpenAI's; a front end checks ranges as its API states them.
/// </summary>
public sealed record OpenAiSamplingParameters
{
    /// <summary><c>max_completion_tokens</c>, else <c>max_tokens</c>; null: the rest of the context.</summary>
    public int? MaxTokens { get; init; }

    /// <summary><c>temperature</c>, 0 to 2; 0 is greedy. OpenAI's default is 1.</summary>
    public double Temperature { get; init; } = 1;

    /// <summary><c>top_p</c>, 0 to 1; null or 1 keeps every token, 0 is greedy.</summary>
    public double? TopP { get; init; }

    /// <summary><c>n</c>: choices per prompt.</summary>
    public int N { get; init; } = 1;

    /// <summary><c>stop</c>: up to four strings that end a choice (not returned).</summary>
    public IReadOnlyList<string> Stop { get; init; } = [];

    /// <summary><c>presence_penalty</c>, −2 to 2.</summary>
    public double PresencePenalty { get; init; }

    /// <summary><c>frequency_penalty</c>, −2 to 2.</summary>
    public double FrequencyPenalty { get; init; }

    /// <summary><c>seed</c>: the same seed and parameters give the same choices.</summary>
    public long? Seed { get; init; }

    /// <summary>Extension <c>top_k</c> (vLLM, llama.cpp): keep the K most likely tokens; null or 0 keeps all.</summary>
    public int? TopK { get; init; }

    /// <summary>Extension <c>repetition_penalty</c> (transformers' CTRL penalty); null or 1 is off.</summary>
    public double? RepetitionPenalty { get; init; }

    /// <summary>Extension <c>ignore_eos</c>: keep generating past end-of-text (benchmarks).</summary>
    public bool IgnoreEos { get; init; }

    /// <summary>Report each chosen token's log-probability (chat <c>logprobs</c>; completions <c>logprobs</c> set).</summary>
    public bool LogProbs { get; init; }

    /// <summary>Alternatives per generated token (chat <c>top_logprobs</c> 0–20, completions <c>logprobs</c> 0–5); needs <see cref="LogProbs"/>.</summary>
    public int TopLogProbs { get; init; }

    /// <summary>Score the prompt with this many alternatives per token (completions <c>echo</c> with <c>logprobs</c>); null: off.</summary>
    public int? PromptLogProbs { get; init; }

    /// <summary><c>logit_bias</c>: token id → bias, −100 to 100.</summary>
    public IReadOnlyDictionary<int, float> LogitBias { get; init; } = new Dictionary<int, float>();
}
