using System.Text.Json;
using Myna.Generation;
using Myna.Text.Tokenization;

namespace Myna.Server.OpenAi;

/// <summary>
/// Writes log-probabilities in OpenAI's two shapes: the chat <c>logprobs.content</c> list (token, logprob, bytes,
/// top_logprobs) and the legacy completions object (tokens, token_logprobs, top_logprobs, text_offset).
/// </summary>
/// <remarks>
/// The values describe the distribution each token was chosen from (see <see cref="GenerationOptions.ReturnLogProbs"/>):
/// the model's logits after logit_bias and the penalties and, when sampling, after temperature, top_k and top_p. Echoed
/// prompt tokens are scored under the model's own distribution.
/// </remarks>
internal static class TokenLogProbs
{
    /// <summary>What OpenAI reports for a log-probability too small to represent.</summary>
    private const double Unrepresentable = -9999.0;

    /// <summary>Writes <c>"logprobs":{"content":[…],"refusal":null}</c> for <paramref name="ids"/>.</summary>
    public static void WriteChat(Utf8JsonWriter writer, GptTokenizer tokenizer, IReadOnlyList<int> ids, IReadOnlyList<float>? logProbs,
        IReadOnlyList<TokenLogProbability[]>? tops)
    {
        writer.WriteStartObject("logprobs");
        writer.WriteStartArray("content");
        for (int i = 0; i < ids.Count; i++)
        {
            writer.WriteStartObject();
            WriteChatToken(writer, tokenizer, ids[i], logProbs is not null && i < logProbs.Count ? logProbs[i] : float.NaN);
            writer.WriteStartArray("top_logprobs");
            if (tops is not null && i < tops.Count)
            {
                foreach (TokenLogProbability alternative in tops[i])
                {
                    writer.WriteStartObject();
                    WriteChatToken(writer, tokenizer, alternative.TokenId, alternative.LogProb);
                    writer.WriteEndObject();
                }
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteNull("refusal");
        writer.WriteEndObject();
    }

    /// <summary>
    /// Writes the legacy <c>"logprobs":{tokens, token_logprobs, top_logprobs, text_offset}</c> for <paramref name="ids"/>:
    /// a NaN log-probability (an echoed prompt's first token, which nothing predicts) is null there and in top_logprobs;
    /// each top_logprobs entry maps token text to log-probability and holds the chosen token too, so up to logprobs + 1
    /// entries, as OpenAI documents. Text offsets count each token's own decoded text from <paramref name="offset"/>.
    /// </summary>
    public static void WriteCompletion(Utf8JsonWriter writer, GptTokenizer tokenizer, IReadOnlyList<int> ids, IReadOnlyList<float>? logProbs,
        IReadOnlyList<TokenLogProbability[]>? tops, int offset)
    {
        string[] texts = ids.Select(id => tokenizer.Decode([id])).ToArray();
        float LogProbAt(int i) => logProbs is not null && i < logProbs.Count ? logProbs[i] : float.NaN;
        writer.WriteStartObject("logprobs");
        writer.WriteStartArray("tokens");
        foreach (string text in texts) writer.WriteStringValue(text);
        writer.WriteEndArray();
        writer.WriteStartArray("token_logprobs");
        for (int i = 0; i < ids.Count; i++)
        {
            float value = LogProbAt(i);
            if (float.IsNaN(value)) writer.WriteNullValue();
            else writer.WriteNumberValue(float.IsFinite(value) ? value : Unrepresentable);
        }
        writer.WriteEndArray();
        writer.WriteStartArray("top_logprobs");
        for (int i = 0; i < ids.Count; i++)
        {
            float chosen = LogProbAt(i);
            if (float.IsNaN(chosen))
            {
                writer.WriteNullValue();
                continue;
            }
            // A JSON object holds each text once: the most likely token of a text speaks for it.
            var written = new HashSet<string>(StringComparer.Ordinal);
            writer.WriteStartObject();
            IEnumerable<TokenLogProbability> entries = tops is not null && i < tops.Count ? tops[i] : [];
            foreach (TokenLogProbability entry in entries.Append(new TokenLogProbability(ids[i], chosen)))
            {
                string text = entry.TokenId == ids[i] ? texts[i] : tokenizer.Decode([entry.TokenId]);
                if (written.Add(text)) writer.WriteNumber(text, float.IsFinite(entry.LogProb) ? entry.LogProb : Unrepresentable);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartArray("text_offset");
        foreach (string text in texts)
        {
            writer.WriteNumberValue(offset);
            offset += text.Length;
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteChatToken(Utf8JsonWriter writer, GptTokenizer tokenizer, int id, float logProb)
    {
        writer.WriteString("token", tokenizer.Decode([id]));
        writer.WriteNumber("logprob", float.IsFinite(logProb) ? logProb : Unrepresentable);
        // A byte-level token may be part of a character; its exact bytes let the client rebuild the text.
        writer.WriteStartArray("bytes");
        if (tokenizer.TryGetTokenBytes(id, out ReadOnlyMemory<byte> bytes))
            foreach (byte b in bytes.Span) writer.WriteNumberValue(b);
        writer.WriteEndArray();
    }
}
