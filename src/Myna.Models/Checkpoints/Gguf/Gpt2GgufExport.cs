using System.Runtime.InteropServices;
using Myna.Models.Quantization;

namespace Myna.Models.Checkpoints.Gguf;

/// <summary>
/// Writes a GPT-2 model as GGUF in the layout llama.cpp's "gpt2" architecture reads, with the same tensor names and
/// orientation its own converter produces: Conv1D weights (in, out) are transposed to (out, in); norms and biases stay
/// float32; the tied head is written as output.weight as well. 2-D weights are stored as F32, F16 or Q8_0 (a tensor
/// whose rows are not a multiple of 32 falls back to F16 under Q8_0, as llama.cpp's converter does).
/// </summary>
public static class Gpt2GgufExport
{
    /// <summary>general.file_type values of llama.cpp.</summary>
    private static uint FileType(GgufTensorType type) => type switch
    {
        GgufTensorType.F32 => 0,
        GgufTensorType.F16 => 1,
        GgufTensorType.Q8_0 => 7,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>Writes <paramref name="weights"/> and <paramref name="vocabulary"/> to <paramref name="path"/>.</summary>
    /// <exception cref="ArgumentException">The vocabulary size does not match the model.</exception>
    public static void Write(string path, GptWeights weights, GgufVocabulary vocabulary, GgufTensorType weightType, string name)
    {
        GptConfig config = weights.Config;
        if (vocabulary.Tokens.Count != config.VocabSize)
            throw new ArgumentException($"the vocabulary has {vocabulary.Tokens.Count} tokens but the model {config.VocabSize}.");

        var gguf = new GgufWriter();
        gguf.Add("general.architecture", "gpt2");
        gguf.Add("general.name", name);
        gguf.Add("general.file_type", FileType(weightType));
        if (weightType == GgufTensorType.Q8_0) gguf.Add("general.quantization_version", 2u);
        gguf.Add("gpt2.context_length", (uint)config.ContextLength);
        gguf.Add("gpt2.embedding_length", (uint)config.EmbeddingSize);
        gguf.Add("gpt2.feed_forward_length", (uint)(4 * config.EmbeddingSize));
        gguf.Add("gpt2.block_count", (uint)config.LayerCount);
        gguf.Add("gpt2.attention.head_count", (uint)config.HeadCount);
        gguf.Add("gpt2.attention.layer_norm_epsilon", (float)HfGpt2Config.LayerNormEpsilon);
        gguf.Add("tokenizer.ggml.model", "gpt2");
        gguf.Add("tokenizer.ggml.pre", "gpt-2");
        gguf.Add("tokenizer.ggml.tokens", vocabulary.Tokens);
        // llama.cpp token types: 1 normal, 3 control.
        gguf.Add("tokenizer.ggml.token_type", Enumerable.Range(0, vocabulary.Tokens.Count).Select(id => vocabulary.ControlTokenIds.Contains(id) ? 3 : 1).ToList());
        gguf.Add("tokenizer.ggml.merges", vocabulary.Merges);
        if (vocabulary.BosTokenId is { } bos) gguf.Add("tokenizer.ggml.bos_token_id", (uint)bos);
        if (vocabulary.EosTokenId is { } eos) gguf.Add("tokenizer.ggml.eos_token_id", (uint)eos);

        ParameterLayout layout = weights.Layout;
        void Matrix(string ggufName, ParameterEntry entry, bool transpose)
        {
            int rows = entry.Shape[0], columns = entry.Shape[1];
            float[] values = weights.Of(entry).ToArray();
            if (transpose)
            {
                values = Transpose(values, rows, columns);
                (rows, columns) = (columns, rows);
            }
            GgufTensorType type = weightType == GgufTensorType.Q8_0 && columns % Q8Blocks.BlockSize != 0 ? GgufTensorType.F16 : weightType;
            gguf.AddTensor(ggufName, [rows, columns], type, Encode(values, type));
        }
        void Vector(string ggufName, ParameterEntry entry) =>
            gguf.AddTensor(ggufName, [entry.Length], GgufTensorType.F32, Encode(weights.Of(entry).ToArray(), GgufTensorType.F32));

        Matrix("token_embd.weight", layout.TokenEmbedding, transpose: false);
        Matrix("position_embd.weight", layout.PositionEmbedding, transpose: false);
        for (int i = 0; i < config.LayerCount; i++)
        {
            BlockParameters block = layout.Blocks[i];
            string b = $"blk.{i}.";
            Vector(b + "attn_norm.weight", block.Norm1Weight);
            Vector(b + "attn_norm.bias", block.Norm1Bias);
            Matrix(b + "attn_qkv.weight", block.QkvWeight, transpose: true);
            Vector(b + "attn_qkv.bias", block.QkvBias);
            Matrix(b + "attn_output.weight", block.AttentionProjWeight, transpose: true);
            Vector(b + "attn_output.bias", block.AttentionProjBias);
            Vector(b + "ffn_norm.weight", block.Norm2Weight);
            Vector(b + "ffn_norm.bias", block.Norm2Bias);
            Matrix(b + "ffn_up.weight", block.FcWeight, transpose: true);
            Vector(b + "ffn_up.bias", block.FcBias);
            Matrix(b + "ffn_down.weight", block.FcProjWeight, transpose: true);
            Vector(b + "ffn_down.bias", block.FcProjBias);
        }
        Vector("output_norm.weight", layout.FinalNormWeight);
        Vector("output_norm.bias", layout.FinalNormBias);
        Matrix("output.weight", layout.LanguageModelHead, transpose: false);
        gguf.Write(path);
    }

    private static float[] Transpose(float[] values, int rows, int columns)
    {
        var result = new float[values.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
                result[(long)c * rows + r] = values[(long)r * columns + c];
        return result;
    }

    private static byte[] Encode(float[] values, GgufTensorType type)
    {
        switch (type)
        {
            case GgufTensorType.F32:
                return MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
            case GgufTensorType.F16:
                var bytes = new byte[values.Length * 2];
                ElementConversion.FromFloat32(values, SafeTensorsDType.F16, bytes);
                return bytes;
            case GgufTensorType.Q8_0:
                var blocks = new byte[Q8Blocks.ByteCount(values.Length)];
                Q8Blocks.Quantize(values, blocks);
                return blocks;
            default:
                throw new ArgumentOutOfRangeException(nameof(type));
        }
    }
}
