using System.Text;
using Myna.Generation;
using Myna.Text.Privacy;
using Myna.Text.Tokenization;

namespace Myna.Tests.Generation;

/// <summary>
/// Output filters in <see cref="SequenceDecoder"/>, fed chosen tokens one character at a time: a secret split over
/// many tokens comes out redacted in the stream and whole, and a blocked phrase ends the sequence before it is shown.
/// </summary>
public class OutputFilterTests(TinyModelDirectory directory) : IClassFixture<TinyModelDirectory>
{
    private readonly GptTokenizer _tokenizer = GptTokenizer.FromPretrained(directory.Path);

    /// <summary>Feeds <paramref name="text"/> byte by byte (the tiny tokenizer's ids are bytes); returns the streamed chunks.</summary>
    private static List<GenerationChunk> Feed(SequenceDecoder decoder, string text)
    {
        var chunks = new List<GenerationChunk>();
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            if (decoder.IsFinished) break;
            var logits = new float[257];
            logits[b] = 10f;
            chunks.Add(decoder.Accept(logits));
        }
        return chunks;
    }

    [Fact]
    public void An_email_split_over_many_tokens_is_redacted_in_the_stream_and_the_whole_text()
    {
        const string text = "Write to kq.smith@example.com today, or call +1 (415) 555-0132 soon";
        var options = new GenerationOptions { MaxNewTokens = text.Length, RedactPii = true, StopAtEndOfText = false };
        var decoder = new SequenceDecoder([65], options, 1, 0, _tokenizer, TinyModelDirectory.EndOfText, 256);
        List<GenerationChunk> chunks = Feed(decoder, text);
        string streamed = string.Concat(chunks.Select(c => c.Text));
        string expected = $"Write to {PiiType.Email.Placeholder()} today, or call {PiiType.Phone.Placeholder()} soon";
        Assert.Equal(expected, streamed);
        Assert.Equal(expected, decoder.ToResult().Text);
        Assert.Equal(FinishReason.Length, decoder.FinishReason);
        Assert.All(chunks, c => Assert.DoesNotContain("kq", c.Text));
        Assert.All(chunks, c => Assert.DoesNotContain("415", c.Text));
        // Text before the secrets was not held back to the end.
        Assert.Contains(chunks.Take(chunks.Count - 1), c => c.Text.Contains("Write", StringComparison.Ordinal));
    }

    [Fact]
    public void A_blocked_phrase_ends_the_sequence_with_content_filter_and_is_never_streamed()
    {
        var options = new GenerationOptions { MaxNewTokens = 100, BlockedPhrases = ["secret plan", "launch code"], StopSequences = ["zzz"], StopAtEndOfText = false };
        var decoder = new SequenceDecoder([65], options, 1, 0, _tokenizer, TinyModelDirectory.EndOfText, 256);
        List<GenerationChunk> chunks = Feed(decoder, "Our SECRET Plan is to wait");
        Assert.Equal(FinishReason.ContentFilter, decoder.FinishReason);
        Assert.Equal(FinishReason.ContentFilter, chunks[^1].FinishReason);
        Assert.Equal("Our ".Length + "SECRET Plan".Length, chunks.Count); // it ended on the phrase's last token
        Assert.Equal("Our ", string.Concat(chunks.Select(c => c.Text)));
        Assert.Equal("Our ", decoder.ToResult().Text);
    }

    [Fact]
    public void Without_filters_the_text_is_untouched()
    {
        const string text = "mail kq.smith@example.com about the secret plan";
        var decoder = new SequenceDecoder([65], new GenerationOptions { MaxNewTokens = text.Length, StopAtEndOfText = false }, 1, 0, _tokenizer, TinyModelDirectory.EndOfText, 256);
        Assert.Equal(text, string.Concat(Feed(decoder, text).Select(c => c.Text)));
    }
}
