using System.Text.Json;

namespace Myna.Bench.Serving;

/// <summary>
/// The body of a benchmark request: <c>POST /v1/completions</c> with the prompt as token ids (exactly the asked
/// length, whatever the tokenizer), greedy, <paramref name="NewTokens"/> tokens past end-of-text (<c>ignore_eos</c>),
/// streamed with the usage chunk.
/// </summary>
public sealed record CompletionRequestBody(string Model, IReadOnlyList<int> Prompt, int NewTokens)
{
    /// <summary>The route the body is posted to.</summary>
    public const string Route = "/v1/completions";

    /// <summary>The JSON bytes.</summary>
    public byte[] ToUtf8Json()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("model", Model);
            writer.WriteStartArray("prompt");
            foreach (int id in Prompt) writer.WriteNumberValue(id);
            writer.WriteEndArray();
            writer.WriteNumber("max_tokens", NewTokens);
            writer.WriteNumber("temperature", 0);
            writer.WriteBoolean("ignore_eos", true);
            writer.WriteBoolean("stream", true);
            writer.WriteStartObject("stream_options");
            writer.WriteBoolean("include_usage", true);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// A prompt of <paramref name="length"/> random ids below <paramref name="idLimit"/> (the end-of-text id, so that
    /// no prompt holds it), the same for the same <paramref name="seed"/> and <paramref name="index"/>.
    /// </summary>
    public static int[] RandomPrompt(int length, int idLimit, ulong seed, int index)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(idLimit, 1);
        // Not HashCode.Combine: it is salted per process, and prompts must repeat across runs.
        var random = new Random(unchecked((int)(seed * 0x9E3779B97F4A7C15UL + (ulong)index * 0xBF58476D1CE4E5B9UL >> 32)));
        var prompt = new int[length];
        for (int i = 0; i < length; i++) prompt[i] = random.Next(idLimit);
        return prompt;
    }
}
