using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Myna.Text.Output;

namespace Myna.Models.Checkpoints;

/// <summary>
/// Reads and writes Hugging Face GPT-2 <c>config.json</c>. Only what changes the computation is mapped to
/// <see cref="GptConfig"/>; settings Myna does not implement (another activation, another LayerNorm epsilon,
/// unscaled attention, another architecture) are refused by name rather than run differently from transformers.
/// </summary>
public static class HfGpt2Config
{
    /// <summary>The file name in a model directory.</summary>
    public const string FileName = "config.json";

    /// <summary>The LayerNorm epsilon GPT-2 uses and Myna's kernels implement.</summary>
    public const double LayerNormEpsilon = 1e-5;

    /// <summary>Parses a config.json.</summary>
    /// <exception cref="ModelFormatException">The file is missing, malformed, or describes a model Myna cannot run.</exception>
    public static GptConfig Read(string path)
    {
        if (!File.Exists(path)) throw new ModelFormatException($"{path}: no such file; a model directory needs {FileName}.");
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new ModelFormatException($"{path}: not a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new ModelFormatException($"{path}: not valid JSON ({ex.Message}).", ex);
        }

        string? modelType = root["model_type"]?.GetValue<string>();
        if (modelType is not null && modelType != "gpt2")
            throw new ModelFormatException($"{path}: model_type is '{modelType}'; Myna runs GPT-2 models (model_type gpt2).");
        if (root["architectures"] is JsonArray architectures)
        {
            foreach (string? name in architectures.Select(a => a?.GetValue<string>()))
            {
                if (name is not ("GPT2LMHeadModel" or "GPT2Model"))
                    throw new ModelFormatException($"{path}: architecture '{name}' is not supported; Myna loads GPT2LMHeadModel and GPT2Model weights.");
            }
        }

        string activation = root["activation_function"]?.GetValue<string>() ?? "gelu_new";
        if (activation is not ("gelu_new" or "gelu_pytorch_tanh"))
            throw new ModelFormatException($"{path}: activation_function '{activation}' is not supported; Myna implements GPT-2's tanh GELU (gelu_new).");
        double epsilon = Number(root, "layer_norm_epsilon", path) ?? LayerNormEpsilon;
        if (Math.Abs(epsilon - LayerNormEpsilon) > 1e-12)
            throw new ModelFormatException($"{path}: layer_norm_epsilon {epsilon.ToString(CultureInfo.InvariantCulture)} is not supported; Myna's LayerNorm uses 1e-5 as GPT-2.");
        foreach ((string flag, bool required) in new[] { ("scale_attn_weights", true), ("scale_attn_by_inverse_layer_idx", false), ("reorder_and_upcast_attn", false), ("add_cross_attention", false) })
        {
            if (root[flag] is JsonValue value && value.GetValue<bool>() != required)
                throw new ModelFormatException($"{path}: {flag} = {!required} is not supported.");
        }

        var config = new GptConfig
        {
            VocabSize = Integer(root, "vocab_size", path) ?? GptConfig.Gpt2Small.VocabSize,
            ContextLength = Integer(root, "n_positions", path) ?? Integer(root, "n_ctx", path) ?? GptConfig.Gpt2Small.ContextLength,
            EmbeddingSize = Integer(root, "n_embd", path) ?? GptConfig.Gpt2Small.EmbeddingSize,
            HeadCount = Integer(root, "n_head", path) ?? GptConfig.Gpt2Small.HeadCount,
            LayerCount = Integer(root, "n_layer", path) ?? GptConfig.Gpt2Small.LayerCount,
            TiedEmbeddings = root["tie_word_embeddings"]?.GetValue<bool>() ?? true,
        };
        if (Integer(root, "n_inner", path) is { } inner && inner != 4 * config.EmbeddingSize)
            throw new ModelFormatException($"{path}: n_inner {inner} is not supported; Myna's MLP is 4 × n_embd ({4 * config.EmbeddingSize}) wide.");
        try
        {
            config.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new ModelFormatException($"{path}: {ex.Message}", ex);
        }
        return config;
    }

    /// <summary>Writes a config.json that transformers loads as GPT2LMHeadModel.</summary>
    public static void Write(string path, GptConfig config, int? bosTokenId, int? eosTokenId)
    {
        var root = new JsonObject
        {
            ["architectures"] = new JsonArray("GPT2LMHeadModel"),
            ["model_type"] = "gpt2",
            ["activation_function"] = "gelu_new",
            ["vocab_size"] = config.VocabSize,
            ["n_positions"] = config.ContextLength,
            ["n_ctx"] = config.ContextLength,
            ["n_embd"] = config.EmbeddingSize,
            ["n_head"] = config.HeadCount,
            ["n_layer"] = config.LayerCount,
            ["n_inner"] = null,
            ["layer_norm_epsilon"] = LayerNormEpsilon,
            ["initializer_range"] = 0.02,
            // Myna's default (and what inference runs): a run trained with --dropout says so in its card and options.json.
            ["resid_pdrop"] = 0.0,
            ["embd_pdrop"] = 0.0,
            ["attn_pdrop"] = 0.0,
            ["scale_attn_weights"] = true,
            ["tie_word_embeddings"] = config.TiedEmbeddings,
            ["bos_token_id"] = bosTokenId,
            ["eos_token_id"] = eosTokenId,
            ["torch_dtype"] = "float32",
        };
        AtomicFile.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    private static int? Integer(JsonObject root, string name, string path)
    {
        if (root[name] is not JsonValue value) return null;
        if (value.TryGetValue(out int i)) return i;
        if (value.TryGetValue(out double d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue) return (int)d;
        throw new ModelFormatException($"{path}: {name} must be a whole number.");
    }

    private static double? Number(JsonObject root, string name, string path)
    {
        if (root[name] is not JsonValue value) return null;
        return value.TryGetValue(out double d) ? d : throw new ModelFormatException($"{path}: {name} must be a number.");
    }
}
