using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Myna.Models.Checkpoints;

namespace Myna.Tests.Cli.BadInput;

/// <summary>
/// The damaged files the bad-input sweep points the CLI at, made once: a tiny model and copies of it with one thing
/// broken each (config, weights header, weights data, tokenizer, generation config), token shards with a broken meta
/// or shard, and small text, task and corpus files that are empty, binary or malformed.
/// </summary>
public sealed class BadInputSweepFixture : IDisposable
{
    private readonly BadInputScene _scene = new();

    public BadInputSweepFixture()
    {
        string model = _scene.TinyModel("model");
        _scene.Shards("shards");
        Directory.CreateDirectory(_scene.PathOf("empty"));
        _scene.Bytes("binary.dat", RandomBytes(4096));
        _scene.Bytes("binary.txt", [0xff, 0xfe, 0x00, 0x41, 0xc3, 0x28, .. RandomBytes(512)]);
        _scene.Text("hyp.txt", "a b c\nd e f\n");
        _scene.Text("ref1.txt", "a b c\n");
        _scene.Text("ref2.txt", "a b c\nd e f\n");
        _scene.Text("text.txt", "In the beginning God created the heaven and the earth. And the earth was without form, and void.");
        _scene.Text("task-not-json.jsonl", "{\"prompt\": \"a\"\n");
        _scene.Text("task-no-prompt.jsonl", "{\"reference\": \"a\"}\n");
        _scene.Text("task-empty.jsonl", "");
        _scene.Text("task-array.jsonl", "[1, 2]\n");
        _scene.Text("task-number.jsonl", "{\"prompt\": \"a\", \"reference\": 5}\n");
        _scene.Text("config-not-json.json", "{{");
        _scene.Text("config-unknown.json", "{\"learning_rte\": 1}");
        _scene.Text("config-type.json", "{\"lr\": \"fast\"}");
        _scene.Text("keys-empty.txt", "# no keys yet\n\n");
        _scene.Bytes("broken.parquet", [.. "PAR1"u8, .. RandomBytes(100), .. "PAR1"u8]);
        _scene.Text("quote.csv", "text\n\"abc\n");

        Broken("config-not-json", c => File.WriteAllText(Path.Combine(c, ModelDirectory.ConfigFileName), "{"));
        foreach ((string name, string key, JsonNode value) in new (string, string, JsonNode)[]
        {
            ("layers-negative", "n_layer", -1), ("heads-uneven", "n_head", 3), ("width-wrong", "n_embd", 64), ("vocab-zero", "vocab_size", 0),
            ("layers-text", "n_layer", "two"), ("epsilon-negative", "layer_norm_epsilon", -1), ("activation-relu", "activation_function", "relu"),
        })
        {
            Broken(name, c =>
            {
                string path = Path.Combine(c, ModelDirectory.ConfigFileName);
                JsonObject config = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
                config[key] = value.DeepClone();
                File.WriteAllText(path, config.ToJsonString());
            });
        }
        byte[] weights = File.ReadAllBytes(Path.Combine(model, ModelDirectory.WeightsFileName));
        int headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(weights);
        JsonObject header = JsonNode.Parse(weights.AsSpan(8, headerLength))!.AsObject();
        string first = header.Select(p => p.Key).First(k => k != "__metadata__");
        Broken("weights-truncated", c => File.WriteAllBytes(Weights(c), weights[..(weights.Length / 3)]));
        Broken("weights-header-huge", c =>
        {
            byte[] copy = (byte[])weights.Clone();
            BinaryPrimitives.WriteUInt64LittleEndian(copy, 1UL << 62);
            File.WriteAllBytes(Weights(c), copy);
        });
        Broken("weights-header-not-json", c =>
        {
            byte[] copy = (byte[])weights.Clone();
            copy.AsSpan(8, headerLength).Fill((byte)'{');
            File.WriteAllBytes(Weights(c), copy);
        });
        Broken("weights-f64", c => File.WriteAllBytes(Weights(c), WithTensorField(weights, headerLength, header, first, "dtype", "F64")));
        Broken("weights-offsets", c => File.WriteAllBytes(Weights(c), WithTensorField(weights, headerLength, header, first, "data_offsets", new JsonArray(0, 1_000_000_000_000))));
        Broken("tokenizer-broken", c => File.WriteAllText(Path.Combine(c, "tokenizer.json"), "{\"model\": 5}"));
        Broken("no-tokenizer", c =>
        {
            foreach (string name in ModelDirectory.TokenizerFileNames) File.Delete(Path.Combine(c, name));
        });
        Broken("generation-config-broken", c => File.WriteAllText(Path.Combine(c, ModelDirectory.GenerationConfigFileName), "[[["));

        ShardsWith("shards-no-meta", s => File.Delete(Path.Combine(s, "meta.json")));
        ShardsWith("shards-meta-broken", s => File.WriteAllText(Path.Combine(s, "meta.json"), "{\"x\":"));
        ShardsWith("shards-cut", s =>
        {
            string file = Directory.GetFiles(s, "train-*.bin").Order(StringComparer.Ordinal).First();
            using var stream = new FileStream(file, FileMode.Open);
            stream.SetLength(stream.Length - 1);
        });
    }

    public string Root => _scene.Root;

    /// <summary>The arguments with each "@name" replaced by the path of that fixture.</summary>
    public string[] Resolve(string commandLine) =>
        commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(a => a == "''" ? "" : a.StartsWith('@') ? _scene.PathOf(a[1..]) : a)
            .ToArray();

    public void Dispose() => _scene.Dispose();

    private static string Weights(string directory) => Path.Combine(directory, ModelDirectory.WeightsFileName);

    /// <summary>A copy of the tiny model named <paramref name="name"/>, then broken.</summary>
    private void Broken(string name, Action<string> breakIt) => BrokenCopy("model", name, breakIt);

    /// <summary>A copy of the shards named <paramref name="name"/>, then broken.</summary>
    private void ShardsWith(string name, Action<string> breakIt) => BrokenCopy("shards", name, breakIt);

    private void BrokenCopy(string source, string name, Action<string> breakIt)
    {
        string copy = _scene.PathOf(name);
        Directory.CreateDirectory(copy);
        foreach (string file in Directory.GetFiles(_scene.PathOf(source))) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        breakIt(copy);
    }

    private static byte[] WithTensorField(byte[] weights, int headerLength, JsonObject header, string tensor, string field, JsonNode value)
    {
        var changed = (JsonObject)header.DeepClone();
        changed[tensor]![field] = value;
        byte[] text = Encoding.UTF8.GetBytes(changed.ToJsonString());
        int padded = (text.Length + 7) / 8 * 8;
        var result = new byte[8 + padded + weights.Length - 8 - headerLength];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)padded);
        result.AsSpan(8, padded).Fill((byte)' ');
        text.CopyTo(result, 8);
        weights.AsSpan(8 + headerLength).CopyTo(result.AsSpan(8 + padded));
        return result;
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(11).NextBytes(bytes);
        return bytes;
    }
}
