using Myna.Generation;
using Myna.Text.Tokenization;

namespace Myna.Tests.Generation;

/// <summary>Token-at-a-time decoding gives what decoding all ids at once gives, after every token.</summary>
public class IncrementalDetokenizerTests(TinyModelDirectory directory) : IClassFixture<TinyModelDirectory>
{
    /// <summary>Random ids, biased towards bytes that start or continue multi-byte characters, with special tokens mixed in.</summary>
    private static int[] RandomIds(Random random, int count, int vocab, int special, Func<int, bool>? multiByte = null)
    {
        var ids = new int[count];
        for (int i = 0; i < count; i++)
        {
            int roll = random.Next(10);
            ids[i] = roll == 0 ? special : roll < 4 && multiByte is not null ? PickWhere(random, vocab, multiByte) : random.Next(vocab);
        }
        return ids;
    }

    private static int PickWhere(Random random, int vocab, Func<int, bool> predicate)
    {
        while (true)
        {
            int id = random.Next(vocab);
            if (predicate(id)) return id;
        }
    }

    private static void AssertEveryPrefixDecodesAlike(GptTokenizer tokenizer, int[] ids)
    {
        var text = new IncrementalDetokenizer(tokenizer);
        for (int n = 1; n <= ids.Length; n++)
        {
            text.Append(ids[n - 1]);
            string expected = tokenizer.Decode(ids.AsSpan(0, n), skipSpecialTokens: true);
            Assert.Equal(expected, text.ToString());
            Assert.Equal(expected.Length, text.Length);
            Assert.True(text.FinalLength <= text.Length);
            Assert.Equal(expected[..text.FinalLength], text.Prefix(text.FinalLength));
        }
    }

    [Fact]
    public void ByteTokensIncludingBrokenUtf8DecodeLikeTheWholeSequence()
    {
        GptTokenizer tokenizer = GptTokenizer.FromPretrained(directory.Path);
        var random = new Random(5);
        for (int trial = 0; trial < 300; trial++)
        {
            // Bytes ≥ 0x80 make broken, overlong, surrogate-range and incomplete sequences often.
            AssertEveryPrefixDecodesAlike(tokenizer, RandomIds(random, random.Next(1, 24), 256, TinyModelDirectory.EndOfText, id => id >= 0x80));
        }
        // Well-formed characters split across tokens: 2, 3 and 4 bytes.
        foreach (string text in new[] { "é", "€uro", "a😀b", "日本語" })
            AssertEveryPrefixDecodesAlike(tokenizer, System.Text.Encoding.UTF8.GetBytes(text).Select(b => (int)b).ToArray());
    }

    [Fact]
    public void Gpt2TokensDecodeLikeTheWholeSequence()
    {
        GptTokenizer tokenizer = GptTokenizer.Gpt2();
        var random = new Random(6);
        // Ids below 256 are GPT-2's single bytes (many of them parts of multi-byte characters).
        for (int trial = 0; trial < 100; trial++)
            AssertEveryPrefixDecodesAlike(tokenizer, RandomIds(random, random.Next(1, 20), 50256, 50256, id => id < 256 || id > 30000));
        AssertEveryPrefixDecodesAlike(tokenizer, tokenizer.Encode("naïve café 😀 — 日本語 text"));
    }
}
