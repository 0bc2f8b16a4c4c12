using System.Text.Json;
using System.Text.Json.Serialization;
using Myna.Text.Output;

namespace Myna.Training;

/// <summary>One line of metrics.jsonl: a training log point ("train") or a validation pass ("val").</summary>
public sealed record MetricsRecord
{
    [JsonPropertyName("kind")] public required string Kind { get; init; }
    [JsonPropertyName("step")] public int Step { get; init; }
    [JsonPropertyName("tokens")] public long Tokens { get; init; }
    [JsonPropertyName("train_loss")][JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? TrainLoss { get; init; }
    [JsonPropertyName("lr")][JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? LearningRate { get; init; }
    [JsonPropertyName("grad_norm")][JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? GradNorm { get; init; }
    [JsonPropertyName("tokens_per_s")][JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? TokensPerSecond { get; init; }
    [JsonPropertyName("val_loss")][JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? ValLoss { get; init; }
    [JsonPropertyName("val_ppl")][JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? ValPerplexity { get; init; }
    [JsonPropertyName("elapsed_s")] public double ElapsedSeconds { get; init; }
}

/// <summary>
/// metrics.jsonl in the output folder, one JSON object per line, flushed as written. On resume the records past the
/// checkpoint's step (written by the interrupted session after its last checkpoint) are dropped, so the log reads as one run.
/// </summary>
public sealed class MetricsLog : IDisposable
{
    /// <summary>The log's file name.</summary>
    public const string FileName = "metrics.jsonl";

    private readonly StreamWriter _writer;

    private MetricsLog(string path, List<MetricsRecord> records)
    {
        Path = path;
        Records = records;
        // Appending follows a link; a metrics.jsonl planted as a link in the run folder must not extend another file.
        if (Myna.Text.Output.OutputFile.AppendRefusal(path) is { } refusal)
            throw new IOException($"'{path}' {refusal}; the run folder's {FileName} must be a plain file. Remove it or choose another --out.");
        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Every record of the run so far.</summary>
    public List<MetricsRecord> Records { get; }

    /// <summary>Starts a new log (<paramref name="keepThroughStep"/> null) or continues one, keeping records up to that step.</summary>
    public static MetricsLog Open(string directory, int? keepThroughStep)
    {
        string path = System.IO.Path.Combine(directory, FileName);
        var kept = new List<MetricsRecord>();
        if (keepThroughStep is int last && File.Exists(path))
        {
            foreach (string line in File.ReadAllLines(path))
            {
                MetricsRecord? record;
                try
                {
                    record = JsonSerializer.Deserialize<MetricsRecord>(line);
                }
                catch (JsonException)
                {
                    continue; // a line cut by a crash
                }
                if (record is not null && record.Step <= last) kept.Add(record);
            }
        }
        AtomicFile.WriteAllText(path, string.Concat(kept.Select(r => JsonSerializer.Serialize(r) + "\n")));
        return new MetricsLog(path, kept);
    }

    /// <summary>Appends one record.</summary>
    public void Add(MetricsRecord record)
    {
        Records.Add(record);
        _writer.WriteLine(JsonSerializer.Serialize(record));
    }

    public void Dispose() => _writer.Dispose();
}
