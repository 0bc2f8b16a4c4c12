using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Myna.Text.Output;

namespace Myna.Text.Tokenization;

/// <summary>
/// <c>tokenizer_config.json</c> and <c>special_tokens_map.json</c>, the two files transformers' <c>AutoTokenizer</c> reads
/// beside <c>tokenizer.json</c> to know the tokenizer class and which special token is which. Written as transformers
/// writes them for GPT-2: &lt;|endoftext|&gt; is beginning, end and unknown token, and no token is added around text.
/// </summary>
public static class HfTokenizerConfig
{
    /// <summary>The tokenizer class and special-token roles.</summary>
    public const string ConfigFileName = "tokenizer_config.json";

    /// <summary>Which special token plays which role.</summary>
    public const string SpecialTokensMapFileName = "special_tokens_map.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes both files into <paramref name="directory"/>.</summary>
    /// <param name="directory">A tokenizer or model directory.</param>
    /// <param name="specialTokens">The special tokens and their ids.</param>
    /// <param name="modelMaxLength">The model's context, when the tokenizer is saved with a model (transformers truncates to it).</param>
    public static void Write(string directory, IEnumerable<SpecialToken> specialTokens, int? modelMaxLength = null)
    {
        ArgumentNullException.ThrowIfNull(specialTokens);
        List<SpecialToken> specials = specialTokens.OrderBy(s => s.Id).ToList();
        string? endOfText = specials.FirstOrDefault(s => s.Content == GptTokenizer.EndOfText)?.Content ?? specials.FirstOrDefault()?.Content;

        var decoder = new JsonObject();
        foreach (SpecialToken special in specials)
            decoder[special.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonObject
            {
                ["content"] = special.Content, ["lstrip"] = false, ["normalized"] = false, ["rstrip"] = false, ["single_word"] = false, ["special"] = true,
            };
        var config = new JsonObject
        {
            ["add_bos_token"] = false,
            ["add_prefix_space"] = false,
            ["added_tokens_decoder"] = decoder,
            ["clean_up_tokenization_spaces"] = false,
            ["tokenizer_class"] = "GPT2Tokenizer",
        };
        var roles = new JsonObject();
        if (endOfText is not null)
        {
            foreach (string role in (string[])["bos_token", "eos_token", "unk_token"])
            {
                config[role] = endOfText;
                roles[role] = endOfText;
            }
        }
        if (modelMaxLength is int length) config["model_max_length"] = length;

        Directory.CreateDirectory(directory);
        AtomicFile.WriteAllText(Path.Combine(directory, ConfigFileName), config.ToJsonString(Indented) + "\n");
        AtomicFile.WriteAllText(Path.Combine(directory, SpecialTokensMapFileName), roles.ToJsonString(Indented) + "\n");
    }
}
