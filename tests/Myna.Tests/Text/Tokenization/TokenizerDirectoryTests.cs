using Myna.Text.Tokenization;

namespace Myna.Tests.Text.Tokenization;

public sealed class TokenizerDirectoryTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "myna-tok-" + Guid.NewGuid().ToString("N"));

    public TokenizerDirectoryTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void MissingDirectoryIsNamedInTheError()
    {
        var error = Assert.Throws<TokenizerFormatException>(() => GptTokenizer.FromDirectory(Path.Combine(_directory, "absent")));
        Assert.Contains("absent", error.Message);
    }

    [Fact]
    public void EmptyDirectorySaysWhichFilesItNeeds()
    {
        var error = Assert.Throws<TokenizerFormatException>(() => GptTokenizer.FromDirectory(_directory));
        Assert.Contains("tokenizer.json", error.Message);
        Assert.Contains("merges.txt", error.Message);
    }

    [Theory]
    [InlineData("{ not json", "not valid JSON")]
    [InlineData("{\"model\": {\"type\": \"WordPiece\", \"vocab\": {}}}", "WordPiece")]
    [InlineData("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": -1}}}", "model.vocab['a']")]
    [InlineData("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": [\"a\"]}}", "model.merges[0]")]
    [InlineData("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": []}}", "pre_tokenizer")]
    [InlineData("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": []}, \"pre_tokenizer\": {\"type\": \"Whitespace\"}}", "Whitespace")]
    [InlineData("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": []}, \"pre_tokenizer\": {\"type\": \"ByteLevel\"}, \"normalizer\": {\"type\": \"Lowercase\"}}", "Lowercase")]
    public void MalformedOrUnsupportedTokenizerJsonIsRefusedByName(string json, string expected)
    {
        string path = Path.Combine(_directory, "tokenizer.json");
        File.WriteAllText(path, json);
        var error = Assert.Throws<TokenizerFormatException>(() => GptTokenizer.FromDirectory(_directory));
        Assert.Contains(expected, error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void BadMergeLineIsReportedWithItsLineNumber()
    {
        File.WriteAllText(Path.Combine(_directory, "vocab.json"), "{\"a\": 0, \"b\": 1, \"ab\": 2}");
        File.WriteAllText(Path.Combine(_directory, "merges.txt"), "#version: 0.2\na b\nab\n");
        var error = Assert.Throws<TokenizerFormatException>(() => GptTokenizer.FromDirectory(_directory));
        Assert.Contains("line 3", error.Message);
    }

    [Fact]
    public void SmallHandWrittenVocabularyAppliesItsMerges()
    {
        // Bytes as GPT-2's alphabet: 'Ġ' stands for the space byte.
        File.WriteAllText(Path.Combine(_directory, "vocab.json"),
            "{\"a\": 0, \"b\": 1, \"Ġ\": 2, \"ab\": 3, \"Ġab\": 4, \"<|endoftext|>\": 5}");
        File.WriteAllText(Path.Combine(_directory, "merges.txt"), "#version: 0.2\na b\nĠ ab\n");
        GptTokenizer tokenizer = GptTokenizer.FromDirectory(_directory);
        Assert.Equal([3, 4, 2], tokenizer.Encode("ab ab "));
        Assert.Equal("ab ab ", tokenizer.Decode([3, 4, 2]));
        Assert.Equal([3, 5], tokenizer.Encode("ab<|endoftext|>", allowSpecial: true));
        Assert.Equal(6, tokenizer.VocabSize);
    }

    [Fact]
    public void TokenizerJsonNormalizerIsApplied()
    {
        File.WriteAllText(Path.Combine(_directory, "tokenizer.json"), """
            {"normalizer": {"type": "NFKC"},
             "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "use_regex": true},
             "added_tokens": [],
             "model": {"type": "BPE", "vocab": {"a": 0, "1": 1, "b": 2}, "merges": []}}
            """);
        GptTokenizer tokenizer = GptTokenizer.FromDirectory(_directory);
        // Fullwidth ａ and circled ① become a and 1 under NFKC.
        Assert.Equal([0, 1], tokenizer.Encode("ａ①"));
    }
}
