using System.Text.Json.Serialization;

namespace Myna.Bench.Generation;

/// <summary>
/// One run of <c>myna bench generate</c> at one instruction-set tier: the tier Myna ran at, the llama.cpp build it was
/// compared with (null when llama.cpp was skipped), and every engine × dtype figure.
/// </summary>
public sealed record GenerateReport(
    [property: JsonPropertyName("isa")] string Isa,
    [property: JsonPropertyName("llama_build")] string? LlamaBuild,
    [property: JsonPropertyName("llama_system_info")] string? LlamaSystemInfo,
    [property: JsonPropertyName("pool_parked_before_peer")] bool PoolParkedBeforePeer,
    [property: JsonPropertyName("results")] IReadOnlyList<GenerateResult> Results)
{
    /// <summary>llama.cpp's figures at the dtype matching a Myna result (int8 runs against q8_0), if measured.</summary>
    public GenerateResult? Peer(GenerateResult myna)
    {
        ArgumentNullException.ThrowIfNull(myna);
        string dtype = myna.Dtype == "int8" ? "q8_0" : myna.Dtype;
        return Results.FirstOrDefault(p => p.Engine == "llama.cpp" && p.Dtype == dtype);
    }
}
