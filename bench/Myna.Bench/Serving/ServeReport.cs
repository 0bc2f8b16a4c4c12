using System.Text.Json.Serialization;

namespace Myna.Bench.Serving;

/// <summary>One run of <c>myna bench serve</c>: the conditions, then every model's figures.</summary>
public sealed record ServeReport
{
    /// <summary>The instruction-set tier Myna ran at.</summary>
    [JsonPropertyName("isa")] public required string Isa { get; init; }

    /// <summary>Myna's compute threads (and llama.cpp's).</summary>
    [JsonPropertyName("threads")] public required int Threads { get; init; }

    /// <summary>The llama.cpp build that was loaded; null when llama.cpp did not run.</summary>
    [JsonPropertyName("llama_build")] public string? LlamaBuild { get; init; }

    /// <summary>Whether Myna's compute pool was parked before each llama.cpp round (always, when it ran).</summary>
    [JsonPropertyName("pool_parked_before_peer")] public required bool PoolParkedBeforePeer { get; init; }

    /// <summary>Prompt tokens of every load request.</summary>
    [JsonPropertyName("prompt_tokens")] public required int PromptTokens { get; init; }

    /// <summary>Tokens every load request generates (<c>ignore_eos</c>).</summary>
    [JsonPropertyName("new_tokens")] public required int NewTokens { get; init; }

    /// <summary>Each model's figures.</summary>
    [JsonPropertyName("models")] public required IReadOnlyList<ModelServeReport> Models { get; init; }
}
