using System.Text.Json.Nodes;
using Myna.Text.Output;
using Myna.Text.Tokenization;

namespace Myna.Models.Checkpoints;

/// <summary>
/// What a Hugging Face GPT-2 model directory holds, known in one place: its file names, whether it carries a tokenizer,
/// and the writing and reading of its weights, config, generation config, tokenizer and card. Training checkpoints,
/// <c>SavePretrained</c>, export and loading all go through it; every file is written by <see cref="AtomicFile"/>, the
/// output-path policy's writer (the tokenizer's own format is Myna.Text's).
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
    public const string ModelCardFileName = ModelCard.FileName;

    /// <summary>Tokenizer files a model directory may carry (HF names), copied along when a model is saved with its tokenizer.</summary>
    public static IReadOnlyList<string> TokenizerFileNames => GptTokenizer.DirectoryFileNames;

    /// <summary>Whether <paramref name="directory"/> carries a tokenizer: <c>tokenizer.json</c>, or GPT-2's <c>vocab.json</c> + <c>merges.txt</c>.</summary>
    public static bool HasTokenizer(string directory) => GptTokenizer.IsInDirectory(directory);

    /// <summary>The tokenizer <paramref name="directory"/> carries, or null when it carries none.</summary>
    /// <exception cref="TokenizerFormatException">The tokenizer files are malformed or unsupported.</exception>
    public static GptTokenizer? LoadTokenizer(string directory) => HasTokenizer(directory) ? GptTokenizer.FromDirectory(directory) : null;

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
            if (File.Exists(source)) AtomicFile.Copy(source, Path.Combine(to, name));
        }
    }

    /// <summary>
    /// The card of <paramref name="directory"/>: <c>model_card.md</c>, else the Hub's <c>README.md</c>, else an empty card
    /// titled after the folder.
    /// </summary>
    /// <exception cref="InvalidDataException">The card's front matter is not valid YAML.</exception>
    public static ModelCard LoadCard(string directory)
    {
        foreach (string name in (string[])[ModelCard.FileName, ModelCard.HubFileName])
        {
            string path = Path.Combine(directory, name);
            if (!File.Exists(path)) continue;
            try
            {
                return ModelCard.Parse(File.ReadAllText(path));
            }
            catch (InvalidDataException ex)
            {
                throw new InvalidDataException($"{path}: {ex.Message}", ex);
            }
        }
        return new ModelCard { Title = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory))) };
    }

    /// <summary>Writes <paramref name="card"/> as <c>model_card.md</c> and as the Hub's <c>README.md</c> (the same text, atomically each).</summary>
    public static void SaveCard(string directory, ModelCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        string text = card.ToMarkdown();
        AtomicFile.WriteAllText(Path.Combine(directory, ModelCard.FileName), text);
        AtomicFile.WriteAllText(Path.Combine(directory, ModelCard.HubFileName), text);
    }

    /// <summary>
    /// Records several evaluation results in the card of <paramref name="directory"/> in one write; an evaluation whose
    /// card cannot be written (a read-only model folder) has still measured what it measured, so this reports the
    /// problem instead of throwing it.
    /// </summary>
    /// <returns>Null when the card was written, else why not.</returns>
    public static string? TryRecordEvaluations(string directory, IEnumerable<EvaluationRecord> records, DateTimeOffset when)
    {
        ArgumentNullException.ThrowIfNull(records);
        try
        {
            ModelCard card = LoadCard(directory);
            foreach (EvaluationRecord record in records) card.RecordEvaluation(record, when);
            SaveCard(directory, card);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return ex.Message;
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
