using System.Text;
using System.Text.Json;

namespace Myna.Text.Preparation;

/// <summary>Writes prepared documents as JSON Lines (<c>{"text", "source", "line"}</c>) into part-00000.jsonl,
/// part-00001.jsonl, ..., starting a new file once one passes the size limit.</summary>
internal sealed class ShardWriter(string directory, long shardBytes) : IDisposable
{
    private readonly List<string> _files = [];
    private FileStream? _stream;
    private Utf8JsonWriter? _json;

    /// <summary>Files written so far, in order.</summary>
    public IReadOnlyList<string> Files => _files;

    /// <summary>Writes one document; returns the UTF-8 byte count of its text.</summary>
    public long Write(string text, string source, long line)
    {
        if (_stream is null || _stream.Length + (_json?.BytesPending ?? 0) >= shardBytes) Next();
        _json!.Reset();
        _json.WriteStartObject();
        _json.WriteString("text", text);
        _json.WriteString("source", source);
        _json.WriteNumber("line", line);
        _json.WriteEndObject();
        _json.Flush();
        _stream!.WriteByte((byte)'\n');
        return Encoding.UTF8.GetByteCount(text);
    }

    private void Next()
    {
        _json?.Dispose();
        _stream?.Dispose();
        string path = Path.Combine(directory, $"part-{_files.Count:D5}.jsonl");
        _files.Add(path);
        _stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        // Relaxed escaping keeps Chinese readable in the files; control characters and quotes are still escaped.
        _json = new Utf8JsonWriter(_stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    public void Dispose()
    {
        _json?.Dispose();
        _stream?.Dispose();
    }
}
