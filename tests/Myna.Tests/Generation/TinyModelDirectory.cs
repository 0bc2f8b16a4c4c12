using System.Text.Json;
using Myna.Generation;
using Myna.Models;
using Myna.Text.Tokenization;

namespace Myna.Tests.Generation;

/// <summary>A small random GPT-2 with a byte-level tokenizer (256 byte tokens + &lt;|endoftext|&gt;), saved as an HF directory.</summary>
public sealed class TinyModelDirectory : IDisposable
{
    public const int EndOfText = 256;

    public TinyModelDirectory() : this(tiedEmbeddings: true, contextLength: 64) { }

    /// <summary>A directory with the given head tying and context length.</summary>
    public static TinyModelDirectory Create(bool tiedEmbeddings, int contextLength = 64) => new(tiedEmbeddings, contextLength);

    private TinyModelDirectory(bool tiedEmbeddings, int contextLength)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "myna-tinymodel-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        var vocab = Enumerable.Range(0, 256).ToDictionary(b => ByteLevelAlphabet.ToChar((byte)b).ToString(), b => b);
        vocab[GptTokenizer.EndOfText] = EndOfText;
        File.WriteAllText(System.IO.Path.Combine(Path, "vocab.json"), JsonSerializer.Serialize(vocab));
        File.WriteAllText(System.IO.Path.Combine(Path, "merges.txt"), "#version: 0.2\n");

        var config = new GptConfig { VocabSize = 257, ContextLength = contextLength, EmbeddingSize = 32, HeadCount = 4, LayerCount = 2, TiedEmbeddings = tiedEmbeddings };
        var model = new GptModel(config, 1, 1);
        model.InitializeRandom(2024);
        Weights = new GptWeights(config);
        model.Parameters.CopyTo(Weights.Values);
        // Larger embeddings make the random model's preferences sharp, so greedy output is not a run of ties.
        foreach (ref float value in Weights.Of("wte.weight")) value *= 20f;
        new GptLanguageModel(Weights, endOfTextId: EndOfText).SavePretrained(Path);
    }

    public string Path { get; }

    public GptWeights Weights { get; }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
