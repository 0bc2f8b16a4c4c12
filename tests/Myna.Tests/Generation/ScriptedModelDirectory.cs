using System.Text.Json;
using Myna.Generation;
using Myna.Models;
using Myna.Text.Tokenization;

namespace Myna.Tests.Generation;

/// <summary>
/// A GPT-2 whose weights are set by hand so that it continues a fixed script: prompted with the script's first
/// character it writes the rest, then &lt;|endoftext|&gt;, greedily or sampled (the next character is e^270 times more
/// likely than any other). Byte-level tokenizer as <see cref="TinyModelDirectory"/>'s: one token per ASCII character.
/// </summary>
/// <remarks>
/// Every block is switched off (its layer norms scale by 0, so attention and MLP add nothing to the residual stream)
/// and positions embed as 0, so the logits depend only on the current token: a bigram table. The script's characters
/// must be distinct (each has one successor) and at most C of them: character k embeds as the unit vector e_k, and the
/// head row of its successor is 50·e_k.
/// </remarks>
public sealed class ScriptedModelDirectory : IDisposable
{
    private const int Channels = 32;

    private ScriptedModelDirectory(string script)
    {
        if (script.Distinct().Count() != script.Length || script.Length > Channels || script.Any(c => c > 127))
            throw new ArgumentException("the script needs at most 32 distinct ASCII characters.", nameof(script));
        Script = script;
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "myna-scripted-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        var vocab = Enumerable.Range(0, 256).ToDictionary(b => ByteLevelAlphabet.ToChar((byte)b).ToString(), b => b);
        vocab[GptTokenizer.EndOfText] = TinyModelDirectory.EndOfText;
        File.WriteAllText(System.IO.Path.Combine(Path, "vocab.json"), JsonSerializer.Serialize(vocab));
        File.WriteAllText(System.IO.Path.Combine(Path, "merges.txt"), "#version: 0.2\n");

        var config = new GptConfig { VocabSize = 257, ContextLength = 64, EmbeddingSize = Channels, HeadCount = 4, LayerCount = 1, TiedEmbeddings = false };
        var weights = new GptWeights(config);
        weights.Of("ln_f.weight").Fill(1f);
        Span<float> embedding = weights.Of("wte.weight"), head = weights.Of("lm_head.weight");
        for (int k = 0; k < script.Length; k++)
        {
            int token = script[k], next = k + 1 < script.Length ? script[k + 1] : TinyModelDirectory.EndOfText;
            embedding[token * Channels + k] = 1f;
            head[next * Channels + k] = 50f;
        }
        new GptLanguageModel(weights, endOfTextId: TinyModelDirectory.EndOfText).SavePretrained(Path);
    }

    /// <summary>A model directory that continues <paramref name="script"/> from its first character.</summary>
    public static ScriptedModelDirectory Create(string script) => new(script);

    /// <summary>The text the model writes, prompted with its first character.</summary>
    public string Script { get; }

    public string Path { get; }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
