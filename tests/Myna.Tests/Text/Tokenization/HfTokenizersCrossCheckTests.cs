using FsCheck;
using FsCheck.Fluent;
using Myna.Text.Tokenization;
using Myna.Text.Tokenization.Training;

namespace Myna.Tests.Text.Tokenization;

/// <summary>
/// Hugging Face's own tokenizers library (Rust, through Tokenizers.DotNet) reads the same tokenizer.json files as
/// Myna and must produce the same ids: GPT-2's vocabulary, and a tokenizer Myna trained itself.
/// </summary>
public sealed class HfTokenizersCrossCheckTests(Gpt2DirectoryFixture files) : IClassFixture<Gpt2DirectoryFixture>, IDisposable
{
    private readonly string _trained = Path.Combine(Path.GetTempPath(), "myna-hftok-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_trained)) Directory.Delete(_trained, recursive: true);
    }

    /// <summary>A substring that never cuts a surrogate pair (Myna refuses lone surrogates by design).</summary>
    private static string WholeCharacters(string text, int start, int length)
    {
        if (start > 0 && char.IsLowSurrogate(text[start])) { start--; length++; }
        int end = Math.Min(text.Length, start + length);
        if (end < text.Length && end > 0 && char.IsHighSurrogate(text[end - 1])) end++;
        return text[start..end];
    }

    private static int[] HuggingFace(Tokenizers.DotNet.Tokenizer tokenizer, string text) => tokenizer.Encode(text).Select(id => (int)id).ToArray();

    [Theory]
    [MemberData(nameof(PeerCases.Encode), MemberType = typeof(PeerCases))]
    public void Gpt2TokenizerJsonEncodesLikeHuggingFace(PeerCases.Case peer)
    {
        var (reference, ours) = files.Shared(() => (new Tokenizers.DotNet.Tokenizer(Path.Combine(files.TokenizerJsonDirectory, "tokenizer.json")), GptTokenizer.FromDirectory(files.TokenizerJsonDirectory)));
        // HF matches added tokens in any text, which is Myna's allowSpecial.
        Assert.Equal(HuggingFace(reference, peer.Text), ours.Encode(peer.Text, allowSpecial: true));
        Assert.Equal(peer.Ids, HuggingFace(reference, peer.Text));
    }

    [Fact]
    public void TrainedTokenizerAgreesWithHuggingFaceOnRandomText()
    {
        string[] corpus =
        [
            "The quick brown fox jumps over the lazy dog. Don't panic; it's 42!",
            "床前明月光，疑是地上霜。举头望明月，低头思故乡。",
            "Tokenizers split unbelievably long words into pieces: internationalization, responsibility.",
            "  indented\tlines\nand   multiple    spaces\n\n<|endoftext|> emoji 👋🌍 numbers 3.14159 2026-11-28",
        ];
        var counter = new WordCounter([GptTokenizer.EndOfText]);
        var counts = counter.Count(Enumerable.Repeat(corpus, 20).SelectMany(c => c));
        TrainedBpe trained = new BpeTrainer(new BpeTrainerOptions { VocabSize = 400, MinFrequency = 1 }).Train(counts);
        trained.Save(_trained);

        using var reference = new Tokenizers.DotNet.Tokenizer(Path.Combine(_trained, "tokenizer.json"));
        GptTokenizer ours = GptTokenizer.FromDirectory(_trained);
        foreach (string text in corpus) Assert.Equal(HuggingFace(reference, text), ours.Encode(text, allowSpecial: true));

        Gen<string> texts = Gen.Elements(corpus).SelectMany(line =>
            from start in Gen.Choose(0, line.Length - 1)
            from length in Gen.Choose(0, line.Length - start)
            from extra in Gen.Elements("", " ", "  x", "\n", "é", "漢字", "<|endoftext|>")
            select WholeCharacters(line, start, length) + extra);
        Prop.ForAll(texts.ToArbitrary(), text => HuggingFace(reference, text).SequenceEqual(ours.Encode(text, allowSpecial: true)))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }
}
