using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Myna.Bench.Serving;

/// <summary>
/// Reads an OpenAI streaming answer (<c>text/event-stream</c>) as its bytes arrive and notes when each event that
/// carries a token completed: a completion choice with <c>text</c>, a chat choice with <c>delta.content</c>, or a
/// choice's <c>finish_reason</c>. Also keeps the <c>usage</c> chunk's <c>completion_tokens</c>, an error event, and
/// whether <c>data: [DONE]</c> came.
/// </summary>
/// <remarks>
/// An event's time is that of the read that completed it (the blank line ending it), whatever reads brought its
/// earlier bytes. Lines may end in LF or CRLF; comments (<c>: keep-alive</c>) and fields other than <c>data</c> are
/// skipped, as SSE clients do. The server skips a token whose text is still empty (an unfinished UTF-8 character), so
/// an event can stand for more than one token; <see cref="CompletionTokens"/> counts them all.
/// </remarks>
public sealed class StreamTimingParser
{
    private static readonly byte[] DataField = "data:"u8.ToArray();
    private static readonly byte[] DoneMarker = "[DONE]"u8.ToArray();

    private readonly ArrayBufferWriter<byte> _line = new(256);
    private readonly ArrayBufferWriter<byte> _data = new(256);
    private readonly List<long> _tokenTimes = [];
    private bool _eventHasData;

    /// <summary>The timestamps (those passed to <see cref="Feed"/>) of the events that carried tokens, in order.</summary>
    public IReadOnlyList<long> TokenTimes => _tokenTimes;

    /// <summary><c>usage.completion_tokens</c> of the usage chunk; null until one came.</summary>
    public int? CompletionTokens { get; private set; }

    /// <summary>Whether <c>data: [DONE]</c> came.</summary>
    public bool Done { get; private set; }

    /// <summary>The first problem in the stream: an <c>error</c> event's message, an event that is not JSON, data after [DONE].</summary>
    public string? Error { get; private set; }

    /// <summary>Data events seen, [DONE] included.</summary>
    public int Events { get; private set; }

    /// <summary>Takes the next bytes of the stream, read at <paramref name="timestamp"/>.</summary>
    public void Feed(ReadOnlySpan<byte> bytes, long timestamp)
    {
        while (bytes.Length > 0)
        {
            int end = bytes.IndexOf((byte)'\n');
            if (end < 0)
            {
                _line.Write(bytes);
                return;
            }
            _line.Write(bytes[..end]);
            ReadOnlySpan<byte> line = _line.WrittenSpan;
            if (line.Length > 0 && line[^1] == '\r') line = line[..^1];
            TakeLine(line, timestamp);
            _line.ResetWrittenCount();
            bytes = bytes[(end + 1)..];
        }
    }

    private void TakeLine(ReadOnlySpan<byte> line, long timestamp)
    {
        if (line.IsEmpty)
        {
            if (_eventHasData) Dispatch(_data.WrittenSpan, timestamp);
            _data.ResetWrittenCount();
            _eventHasData = false;
            return;
        }
        if (!line.StartsWith(DataField)) return; // a comment (":…") or another field (event, id, retry)
        ReadOnlySpan<byte> value = line[DataField.Length..];
        if (value.Length > 0 && value[0] == ' ') value = value[1..];
        // Several data lines of one event join with a line feed (the SSE rule).
        if (_eventHasData) _data.Write("\n"u8);
        _data.Write(value);
        _eventHasData = true;
    }

    private void Dispatch(ReadOnlySpan<byte> data, long timestamp)
    {
        Events++;
        if (Done)
        {
            Error ??= "an event came after [DONE].";
            return;
        }
        if (data.SequenceEqual(DoneMarker))
        {
            Done = true;
            return;
        }
        try
        {
            using JsonDocument document = JsonDocument.Parse(data.ToArray());
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                Error ??= "an event is not a JSON object.";
                return;
            }
            if (root.TryGetProperty("error", out JsonElement error))
            {
                Error ??= error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out JsonElement message) && message.ValueKind == JsonValueKind.String
                    ? message.GetString()
                    : error.ToString();
                return;
            }
            if (root.TryGetProperty("usage", out JsonElement usage) && usage.ValueKind == JsonValueKind.Object
                && usage.TryGetProperty("completion_tokens", out JsonElement tokens) && tokens.TryGetInt32(out int count))
                CompletionTokens = count;
            if (root.TryGetProperty("choices", out JsonElement choices) && choices.ValueKind == JsonValueKind.Array
                && choices.EnumerateArray().Any(CarriesToken))
                _tokenTimes.Add(timestamp);
        }
        catch (JsonException)
        {
            Error ??= "an event is not JSON: " + Encoding.UTF8.GetString(data[..Math.Min(data.Length, 80)]);
        }
    }

    private static bool CarriesToken(JsonElement choice)
    {
        if (choice.ValueKind != JsonValueKind.Object) return false;
        if (choice.TryGetProperty("finish_reason", out JsonElement finish) && finish.ValueKind == JsonValueKind.String) return true;
        if (choice.TryGetProperty("text", out JsonElement text) && text.ValueKind == JsonValueKind.String && text.GetString()!.Length > 0) return true;
        return choice.TryGetProperty("delta", out JsonElement delta) && delta.ValueKind == JsonValueKind.Object
            && delta.TryGetProperty("content", out JsonElement content) && content.ValueKind == JsonValueKind.String && content.GetString()!.Length > 0;
    }
}
