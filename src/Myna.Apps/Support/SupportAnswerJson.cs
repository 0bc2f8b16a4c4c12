using System.Text.Json;

namespace Myna.Apps.Support;

/// <summary>
/// The one JSON shape of an answer, written by <c>POST /v1/apps/support/chat</c> and <c>myna support ask --json</c>:
/// <c>{answer, lang, sources:[{id, question, score}], confidence:{score, margin, coverage}, handoff}</c>.
/// </summary>
public static class SupportAnswerJson
{
    /// <summary>Writes <paramref name="answer"/> as one object, with its first <paramref name="sourcesShown"/> sources.</summary>
    public static void Write(Utf8JsonWriter writer, SupportAnswer answer, int sourcesShown)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(answer);
        writer.WriteStartObject();
        writer.WriteString("answer", answer.Answer);
        writer.WriteString("lang", answer.Lang);
        writer.WriteStartArray("sources");
        foreach (RetrievedEntry source in answer.Sources.Take(sourcesShown))
        {
            writer.WriteStartObject();
            writer.WriteString("id", source.Id);
            writer.WriteString("question", source.Question);
            writer.WriteNumber("score", Math.Round(source.Score, 4));
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartObject("confidence");
        writer.WriteNumber("score", Math.Round(answer.Confidence.Score, 4));
        writer.WriteNumber("margin", Math.Round(answer.Confidence.Margin, 4));
        writer.WriteNumber("coverage", Math.Round(answer.Confidence.Coverage, 4));
        writer.WriteEndObject();
        writer.WriteBoolean("handoff", answer.Handoff);
        writer.WriteEndObject();
    }

    /// <summary><paramref name="answer"/> as a JSON string (one line).</summary>
    public static string Format(SupportAnswer answer, int sourcesShown)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            Write(writer, answer, sourcesShown);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
