namespace Myna.Models;

/// <summary>
/// The memory plan: every parameter tensor as an ordered (name, shape) entry at an offset in one flat arena. The
/// same layout backs the parameters, their gradients and both AdamW moments, so the optimizer is one loop and a
/// checkpoint tensor maps to one slice.
/// </summary>
/// <remarks>
/// This is the single place Hugging Face GPT-2 names appear (the checkpoint name map). Names are those of
/// <c>GPT2Model</c> (as in the hub's "gpt2" <c>model.safetensors</c>); <c>GPT2LMHeadModel</c> files prefix them with
/// <c>transformer.</c> (<see cref="CheckpointPrefix"/>).
/// Storage layout decision: linear weights are kept exactly as HF's Conv1D stores them, (in, out) row-major, so
/// checkpoint I/O is a plain copy with no transposes. The matmuls use them as they are: forward <c>y = x·W</c> is
/// GEMM NN, the input gradient <c>dx = dy·Wᵀ</c> is NT, and the weight gradient <c>dW += xᵀ·dy</c> is TN. Embedding
/// tables are (V, C) and (n_ctx, C) as in HF; the tied LM head reads wte as (N, K) in an NT product.
/// An untied head adds <c>lm_head.weight</c> (V, C), nn.Linear's (out, in), the same orientation as wte.
/// </remarks>
public sealed class ParameterLayout
{
    /// <summary>Prefix <c>GPT2LMHeadModel</c> checkpoints put before the block and embedding names.</summary>
    public const string CheckpointPrefix = "transformer.";

    private readonly Dictionary<string, ParameterEntry> _byName;

    private ParameterLayout(List<ParameterEntry> entries, List<BlockParameters> blocks)
    {
        Entries = entries;
        Blocks = blocks;
        _byName = entries.ToDictionary(e => e.Name);
        ParameterEntry last = entries[^1];
        TotalLength = checked(last.Offset + last.Length);
        TokenEmbedding = _byName["wte.weight"];
        PositionEmbedding = _byName["wpe.weight"];
        FinalNormWeight = _byName["ln_f.weight"];
        FinalNormBias = _byName["ln_f.bias"];
        LanguageModelHead = _byName.GetValueOrDefault("lm_head.weight") ?? TokenEmbedding;
    }

    /// <summary>All tensors in arena order.</summary>
    public IReadOnlyList<ParameterEntry> Entries { get; }

    /// <summary>Per-block views of the entries, block 0 first.</summary>
    public IReadOnlyList<BlockParameters> Blocks { get; }

    /// <summary>Total number of parameters (the length of each arena).</summary>
    public int TotalLength { get; }

    /// <summary>wte (V, C).</summary>
    public ParameterEntry TokenEmbedding { get; }

    /// <summary>wpe (n_ctx, C).</summary>
    public ParameterEntry PositionEmbedding { get; }

    /// <summary>ln_f gain (C).</summary>
    public ParameterEntry FinalNormWeight { get; }

    /// <summary>ln_f shift (C).</summary>
    public ParameterEntry FinalNormBias { get; }

    /// <summary>The (V, C) matrix the logits are computed with: wte when tied, else lm_head.weight.</summary>
    public ParameterEntry LanguageModelHead { get; }

    /// <summary>The entry with the given name, with or without the <see cref="CheckpointPrefix"/>.</summary>
    /// <exception cref="KeyNotFoundException">No tensor has this name.</exception>
    public ParameterEntry this[string name] =>
        _byName.TryGetValue(name.StartsWith(CheckpointPrefix, StringComparison.Ordinal) ? name[CheckpointPrefix.Length..] : name, out var entry)
            ? entry
            : throw new KeyNotFoundException($"no parameter named '{name}'.");

    /// <summary>Builds the layout for a configuration (validated first).</summary>
    /// <exception cref="ArgumentException">The configuration is invalid.</exception>
    public static ParameterLayout ForConfig(GptConfig config)
    {
        config.Validate();
        int v = config.VocabSize, c = config.EmbeddingSize;
        var entries = new List<ParameterEntry>();
        var blocks = new List<BlockParameters>();
        long offset = 0;
        ParameterEntry Add(string name, ParameterRole role, params int[] shape)
        {
            var entry = new ParameterEntry(name, shape, role, checked((int)offset));
            offset += entry.Length;
            if (offset > Array.MaxLength) throw new ArgumentException($"the model has more than {Array.MaxLength} parameters; one arena cannot hold it.");
            entries.Add(entry);
            return entry;
        }

        Add("wte.weight", ParameterRole.Embedding, v, c);
        Add("wpe.weight", ParameterRole.Embedding, config.ContextLength, c);
        for (int i = 0; i < config.LayerCount; i++)
        {
            string h = $"h.{i}.";
            blocks.Add(new BlockParameters(
                Add(h + "ln_1.weight", ParameterRole.NormWeight, c),
                Add(h + "ln_1.bias", ParameterRole.NormBias, c),
                Add(h + "attn.c_attn.weight", ParameterRole.Weight, c, 3 * c),
                Add(h + "attn.c_attn.bias", ParameterRole.Bias, 3 * c),
                Add(h + "attn.c_proj.weight", ParameterRole.ResidualProjection, c, c),
                Add(h + "attn.c_proj.bias", ParameterRole.Bias, c),
                Add(h + "ln_2.weight", ParameterRole.NormWeight, c),
                Add(h + "ln_2.bias", ParameterRole.NormBias, c),
                Add(h + "mlp.c_fc.weight", ParameterRole.Weight, c, 4 * c),
                Add(h + "mlp.c_fc.bias", ParameterRole.Bias, 4 * c),
                Add(h + "mlp.c_proj.weight", ParameterRole.ResidualProjection, 4 * c, c),
                Add(h + "mlp.c_proj.bias", ParameterRole.Bias, c)));
        }
        Add("ln_f.weight", ParameterRole.NormWeight, c);
        Add("ln_f.bias", ParameterRole.NormBias, c);
        if (!config.TiedEmbeddings) Add("lm_head.weight", ParameterRole.Weight, v, c);
        return new ParameterLayout(entries, blocks);
    }
}
