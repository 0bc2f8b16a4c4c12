using System.Globalization;
using System.Text.Json;
using Myna.Server.Hosting;
using Myna.Text.Output;
using Myna.Text.Privacy;

namespace Myna.Server.Audit;

/// <summary>
/// <c>--audit-log FILE</c>: one JSON object per answered request, appended as a line (JSON Lines) and flushed at once,
/// so a crash loses at most the line being written. Fields: <c>time</c>, <c>request_id</c> (the answer's <c>id</c> and
/// <c>X-Request-Id</c>), <c>key_id</c> (8 hex of the key's SHA-256), <c>method</c>, <c>route</c>, <c>model</c>,
/// <c>status</c>, <c>error</c> (its code, also for an error sent in-band in a stream), <c>prompt_tokens</c>,
/// <c>completion_tokens</c>, <c>finish_reasons</c>, <c>ttft_ms</c>, <c>latency_ms</c>, <c>ignored_fields</c>; with
/// <c>--log-content</c> also <c>prompts</c> and <c>outputs</c>, after <see cref="PiiRedactor"/>.
/// </summary>
/// <remarks>
/// The file follows the project's output-path policy where it applies to a log that is appended to: a symbolic link
/// or a device is refused (the log cannot be redirected to another file or a terminal), a directory too. Writing to a
/// temporary sibling and renaming does not apply to an append-only log.
/// </remarks>
public sealed class AuditLog : IDisposable
{
    private readonly object _gate = new();
    private readonly FileStream _stream;
    private readonly PiiRedactor? _redactor;

    private AuditLog(FileStream stream, bool logContent)
    {
        _stream = stream;
        _redactor = logContent ? new PiiRedactor() : null;
    }

    /// <summary>The file's full path.</summary>
    public string Path => _stream.Name;

    /// <summary>Opens <paramref name="path"/> for appending (creating it and its folder when missing).</summary>
    /// <exception cref="ArgumentException">The path is a symbolic link, a device or a directory.</exception>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    public static AuditLog Open(string path, bool logContent)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = System.IO.Path.GetFullPath(path);
        if (OutputFile.AppendRefusal(full) is { } refusal)
            throw new ArgumentException($"--audit-log {path} {refusal}; name a regular file.");
        string? folder = System.IO.Path.GetDirectoryName(full);
        if (folder is not null) Directory.CreateDirectory(folder);
        var stream = new FileStream(full, FileMode.Append, FileAccess.Write, FileShare.Read);
        // A pipe or character device that slipped past the path checks cannot seek: refuse it too.
        if (!stream.CanSeek)
        {
            stream.Dispose();
            throw new ArgumentException($"--audit-log {path} is not a regular file; name a regular file.");
        }
        return new AuditLog(stream, logContent);
    }

    /// <summary>Appends the line for one answered request.</summary>
    public void Write(RequestRecord record, string method, int status, TimeSpan latency)
    {
        ArgumentNullException.ThrowIfNull(record);
        var line = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(line))
        {
            writer.WriteStartObject();
            writer.WriteString("time", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            writer.WriteString("request_id", record.RequestId);
            WriteStringOrNull(writer, "key_id", record.KeyId);
            writer.WriteString("method", method);
            writer.WriteString("route", record.Route);
            WriteStringOrNull(writer, "model", record.Model);
            writer.WriteNumber("status", status);
            WriteStringOrNull(writer, "error", record.ErrorCode);
            writer.WriteNumber("prompt_tokens", record.PromptTokens);
            writer.WriteNumber("completion_tokens", record.CompletionTokens);
            WriteStrings(writer, "finish_reasons", record.FinishReasons);
            if (record.TimeToFirstToken is { } ttft) writer.WriteNumber("ttft_ms", Math.Round(ttft.TotalMilliseconds, 3));
            else writer.WriteNull("ttft_ms");
            writer.WriteNumber("latency_ms", Math.Round(latency.TotalMilliseconds, 3));
            WriteStrings(writer, "ignored_fields", record.IgnoredFields);
            if (_redactor is not null)
            {
                WriteStrings(writer, "prompts", (record.PromptTexts ?? []).Select(Redact).ToArray());
                WriteStrings(writer, "outputs", (record.OutputTexts ?? []).Select(Redact).ToArray());
            }
            writer.WriteEndObject();
        }
        lock (_gate)
        {
            _stream.Write(line.WrittenSpan);
            _stream.WriteByte((byte)'\n');
            _stream.Flush();
        }
    }

    private string Redact(string text) => _redactor!.Redact(text).Text;

    private static void WriteStringOrNull(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null) writer.WriteNull(name);
        else writer.WriteString(name, value);
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(name);
        foreach (string value in values) writer.WriteStringValue(value);
        writer.WriteEndArray();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate) _stream.Dispose();
    }
}
