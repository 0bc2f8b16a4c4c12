using System.Text.Json.Nodes;

namespace Myna.Models.Checkpoints;

/// <summary>
/// What a Hugging Face GPT-2 model directory holds, known in one place: its file names, whether it carries a tokenizer,
/// and the writing and reading of its weights, config and generation config. Training checkpoints, <c>SavePretrained</c>,
/// export and loading all go through it (the tokenizer itself is read by Myna.Text; the card by <see cref="ModelCardFile"/>).
/// </summary>
public static class ModelDirectory
{
    /// <summary>The model's shape, as transformers writes it.</summary>
    public const string ConfigFileName = HfGpt2Config.FileName;

    /// <summary>The weights.</summary>
    public const string WeightsFileName = GptCheckpoint.WeightsFileName;

    /// <summary>As transformers writes it; holds the end-of-text id generation stops at.</summary>
    public const string GenerationConfigFileName = "generation_config.json";

    /// <summary>The model card.</summary>
    public const string ModelCardFileName = ModelCardFile.FileName;

    /// <summary>Tokenizer files a model directory may carry (HF names), copied along when a model is saved with its tokenizer.</summary>
    public static IReadOnlyList<string> TokenizerFileNames { get; } =
        ["tokenizer.json", "vocab.json", "merges.txt", "added_tokens.json", "tokenizer_config.json", "special_tokens_map.json"];

    /// <summary>Whether <paramref name="directory"/> carries a tokenizer: <c>tokenizer.json</c>, or GPT-2's <c>vocab.json</c> + <c>merges.txt</c>.</summary>
    public static bool HasTokenizer(string directory) =>
        File.Exists(Path.Combine(directory, "tokenizer.json"))
        || (File.Exists(Path.Combine(directory, "vocab.json")) && File.Exists(Path.Combine(directory, "merges.txt")));

    /// <summary>Writes config.json, model.safetensors and generation_config.json (each atomically).</summary>
    public static void Save(string directory, GptWeights weights, SafeTensorsDType dtype, int? endOfTextId)
    {
        GptCheckpoint.Save(directory, weights, dtype, endOfTextId, endOfTextId);
        var generation = new JsonObject { ["bos_token_id"] = endOfTextId, ["eos_token_id"] = endOfTextId, ["_from_myna"] = true };
        AtomicFile.WriteAllText(Path.Combine(directory, GenerationConfigFileName), generation.ToJsonString() + "\n");
    }

    /// <summary>Copies the tokenizer files <paramref name="from"/> holds into <paramref name="to"/> (atomically each).</summary>
    public static void CopyTokenizerFiles(string from, string to)
    {
        foreach (string name in TokenizerFileNames)
        {
            string source = Path.Combine(from, name);
            if (File.Exists(source))
                AtomicFile.Write(Path.Combine(to, name), stream => { using FileStream input = File.OpenRead(source); input.CopyTo(stream); });
        }
    }

    /// <summary>The end-of-text id generation_config.json names (its <c>eos_token_id</c>, or the first of a list), or null.</summary>
    /// <exception cref="ModelFormatException">The file is not valid JSON.</exception>
    public static int? ReadEndOfText(string directory)
    {
        string path = Path.Combine(directory, GenerationConfigFileName);
        if (!File.Exists(path)) return null;
        try
        {
            JsonNode? eos = JsonNode.Parse(File.ReadAllText(path))?["eos_token_id"];
            return eos switch
            {
                JsonValue value when value.TryGetValue(out int id) => id,
                JsonArray { Count: > 0 } list when list[0] is JsonValue first && first.TryGetValue(out int id) => id,
                _ => null,
            };
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new ModelFormatException($"{path}: not valid JSON ({ex.Message}).", ex);
        }
    }
}
