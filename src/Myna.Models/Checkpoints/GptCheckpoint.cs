namespace Myna.Models.Checkpoints;

/// <summary>
/// GPT-2 weights in a Hugging Face model directory: <c>config.json</c> + <c>model.safetensors</c>. Loading accepts
/// GPT2LMHeadModel names (<c>transformer.h.0…</c>) and GPT2Model names (<c>h.0…</c>), F32/F16/BF16, an optional
/// <c>lm_head.weight</c>; saving writes GPT2LMHeadModel names, as transformers' <c>save_pretrained</c> does.
/// </summary>
public static class GptCheckpoint
{
    /// <summary>The weights file in a model directory.</summary>
    public const string WeightsFileName = "model.safetensors";

    /// <summary>Loads config and weights from a model directory.</summary>
    /// <param name="directory">The model directory.</param>
    /// <param name="allowNonFinite">
    /// Load weights holding NaN or infinity. Off by default: such a model generates garbage ("!!!!") and scores NaN
    /// without a word, so it is refused at the door; on, for inspecting a run that diverged.
    /// </param>
    /// <exception cref="ModelFormatException">A file is missing, a tensor is missing or has the wrong shape, or holds NaN or infinity.</exception>
    /// <exception cref="SafeTensorsFormatException">The weights file is truncated or malformed.</exception>
    public static GptWeights Load(string directory, bool allowNonFinite = false)
    {
        if (File.Exists(directory))
            throw new ModelFormatException($"'{directory}' is a file; a model is a directory holding config.json and {WeightsFileName} (give the folder that contains it).");
        if (!Directory.Exists(directory)) throw new ModelFormatException($"model directory '{directory}' does not exist.");
        GptConfig config = HfGpt2Config.Read(Path.Combine(directory, HfGpt2Config.FileName));
        string weightsPath = Path.Combine(directory, WeightsFileName);
        if (!File.Exists(weightsPath))
        {
            string hint = File.Exists(Path.Combine(directory, "pytorch_model.bin"))
                ? " It has pytorch_model.bin, a pickle Myna does not read: convert it with transformers' save_pretrained(safe_serialization=True)."
                : "";
            throw new ModelFormatException($"{weightsPath}: no such file; a model directory needs {WeightsFileName}.{hint}");
        }

        var weights = new GptWeights(config);
        using SafeTensorsFile file = SafeTensorsFile.Open(weightsPath);
        foreach (ParameterEntry entry in weights.Layout.Entries)
        {
            SafeTensorInfo tensor = FindTensor(file, entry, config)
                ?? throw new ModelFormatException($"{weightsPath}: tensor '{entry.Name}' (shape [{string.Join(", ", entry.Shape)}]) is missing.");
            if (!tensor.Shape.SequenceEqual(entry.Shape.Select(d => (long)d)))
                throw new ModelFormatException($"{weightsPath}: tensor '{tensor.Name}' has shape {tensor.ShapeText}; config.json implies [{string.Join(", ", entry.Shape)}].");
            file.ReadFloat32(tensor.Name, weights.Of(entry));
            if (!allowNonFinite && DescribeNonFinite(weights.Of(entry), tensor.Name) is { } problem)
                throw new ModelFormatException(
                    $"{weightsPath}: {problem}; weights with NaN or infinity are corrupt or come from a run that diverged, and would generate garbage " +
                    "(--allow-nonfinite loads them anyway, to inspect such a run).");
        }
        return weights;
    }

    /// <summary>
    /// Where <paramref name="weights"/> first hold NaN or infinity ("tensor 'h.0.attn.c_attn.weight' holds NaN at element
    /// 12"), or null when every value is finite: what a load that allowed them warns about.
    /// </summary>
    public static string? DescribeNonFinite(GptWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        foreach (ParameterEntry entry in weights.Layout.Entries)
            if (DescribeNonFinite(weights.Of(entry), entry.Name) is { } problem) return problem;
        return null;
    }

    private static string? DescribeNonFinite(ReadOnlySpan<float> values, string name) =>
        IndexOfNonFinite(values) is int bad and >= 0 ? $"tensor '{name}' holds {values[bad]} at element {bad:N0}" : null;

    /// <summary>The index of the first NaN or infinity in <paramref name="values"/>, or -1: all exponent bits set means non-finite.</summary>
    internal static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        const uint exponent = 0x7F80_0000;
        ReadOnlySpan<uint> bits = System.Runtime.InteropServices.MemoryMarshal.Cast<float, uint>(values);
        int i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated)
        {
            var mask = new System.Numerics.Vector<uint>(exponent);
            int width = System.Numerics.Vector<uint>.Count;
            for (; i <= bits.Length - width; i += width)
                if (System.Numerics.Vector.EqualsAny(new System.Numerics.Vector<uint>(bits[i..]) & mask, mask)) break;
        }
        for (; i < bits.Length; i++)
            if ((bits[i] & exponent) == exponent) return i;
        return -1;
    }

    /// <summary>Writes config.json and model.safetensors (atomically each) into <paramref name="directory"/>.</summary>
    public static void Save(string directory, GptWeights weights, SafeTensorsDType dtype = SafeTensorsDType.F32, int? bosTokenId = null, int? eosTokenId = null)
    {
        Directory.CreateDirectory(directory);
        var tensors = weights.Layout.Entries
            .Select(e => new TensorToWrite(
                e.Name == "lm_head.weight" ? e.Name : ParameterLayout.CheckpointPrefix + e.Name,
                e.Shape.Select(d => (long)d).ToArray(),
                weights.Values.AsMemory(e.Offset, e.Length),
                dtype))
            .ToList();
        SafeTensorsWriter.Write(Path.Combine(directory, WeightsFileName), tensors, new Dictionary<string, string> { ["format"] = "pt" });
        HfGpt2Config.Write(Path.Combine(directory, HfGpt2Config.FileName), weights.Config, bosTokenId, eosTokenId);
    }

    private static SafeTensorInfo? FindTensor(SafeTensorsFile file, ParameterEntry entry, GptConfig config)
    {
        if (entry.Name == "lm_head.weight") return file.Find("lm_head.weight");
        return file.Find(ParameterLayout.CheckpointPrefix + entry.Name) ?? file.Find(entry.Name);
    }
}
