using System.Text.Json;
using Myna.Text.Tokenization;

namespace Myna.Server.OpenAi;

/// <summary>Writes the <c>logprobs</c> object of a chat choice: each chosen token, its log-probability and its bytes.</summary>
internal static class TokenLogProbs
{
    /// <summary>What OpenAI reports for a log-probability too small to represent.</summary>
    private const double Unrepresentable = -9999.0;

    /// <summary>Writes <c>"logprobs":{"content":[…],"refusal":null}</c> for <paramref name="ids"/>.</summary>
    public static void WriteChat(Utf8JsonWriter writer, GptTokenizer tokenizer, IReadOnlyList<int> ids, IReadOnlyList<float>? logProbs)
    {
        writer.WriteStartObject("logprobs");
        writer.WriteStartArray("content");
        for (int i = 0; i < ids.Count; i++)
        {
            writer.WriteStartObject();
            writer.WriteString("token", tokenizer.Decode([ids[i]]));
            float logProb = logProbs is not null && i < logProbs.Count ? logProbs[i] : float.NaN;
            writer.WriteNumber("logprob", float.IsFinite(logProb) ? logProb : Unrepresentable);
            // A byte-level token may be part of a character; its exact bytes let the client rebuild the text.
            writer.WriteStartArray("bytes");
            if (tokenizer.TryGetTokenBytes(ids[i], out ReadOnlyMemory<byte> bytes))
                foreach (byte b in bytes.Span) writer.WriteNumberValue(b);
            writer.WriteEndArray();
            writer.WriteStartArray("top_logprobs");
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteNull("refusal");
        writer.WriteEndObject();
    }
}
