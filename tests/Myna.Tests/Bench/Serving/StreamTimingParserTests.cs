using System.Text;
using Myna.Bench.Serving;

namespace Myna.Tests.Bench.Serving;

/// <summary>Reading an OpenAI event stream as it arrives: which events carry tokens, and when each completed.</summary>
public class StreamTimingParserTests
{
    // A streamed completion as the server writes it: a keep-alive while queued, three tokens (the second with empty
    // text: an unfinished UTF-8 character, so it carries none), the last with its finish reason, usage, [DONE].
    private static readonly string[] CompletionEvents =
    [
        ": keep-alive\n\n",
        """data: {"id":"cmpl-1","object":"text_completion","created":1,"model":"m","choices":[{"text":" a","index":0,"logprobs":null,"finish_reason":null}],"usage":null}""" + "\n\n",
        """data: {"id":"cmpl-1","object":"text_completion","created":1,"model":"m","choices":[{"text":"","index":0,"logprobs":null,"finish_reason":null}],"usage":null}""" + "\n\n",
        """data: {"id":"cmpl-1","object":"text_completion","created":1,"model":"m","choices":[{"text":"é","index":0,"logprobs":null,"finish_reason":"length"}],"usage":null}""" + "\n\n",
        """data: {"id":"cmpl-1","object":"text_completion","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":4,"completion_tokens":3,"total_tokens":7}}""" + "\n\n",
        "data: [DONE]\n\n",
    ];

    [Fact]
    public void EachTokenEventIsTimedByTheReadThatCompletedIt()
    {
        byte[] stream = Encoding.UTF8.GetBytes(string.Concat(CompletionEvents));
        var parser = new StreamTimingParser();

        // One byte per read, the read's index as its timestamp: an event completes at its final line feed.
        for (int i = 0; i < stream.Length; i++) parser.Feed(stream.AsSpan(i, 1), timestamp: i);

        long EndOf(int e) => Encoding.UTF8.GetByteCount(string.Concat(CompletionEvents.Take(e + 1))) - 1;
        Assert.Equal([EndOf(1), EndOf(3)], parser.TokenTimes);
        Assert.Equal(3, parser.CompletionTokens);
        Assert.True(parser.Done);
        Assert.Null(parser.Error);
        Assert.Equal(5, parser.Events); // the comment is no event
    }

    [Fact]
    public void HowTheBytesAreSplitDoesNotMatterAndCrLfEndsLinesToo()
    {
        string crlf = string.Concat(CompletionEvents).Replace("\n", "\r\n", StringComparison.Ordinal);
        byte[] stream = Encoding.UTF8.GetBytes(crlf);
        var random = new Random(7);
        for (int trial = 0; trial < 50; trial++)
        {
            var parser = new StreamTimingParser();
            for (int at = 0; at < stream.Length;)
            {
                int length = Math.Min(random.Next(1, 40), stream.Length - at);
                parser.Feed(stream.AsSpan(at, length), timestamp: 0);
                at += length;
            }
            Assert.Equal(2, parser.TokenTimes.Count);
            Assert.Equal(3, parser.CompletionTokens);
            Assert.True(parser.Done);
            Assert.Null(parser.Error);
        }
    }

    [Fact]
    public void ChatContentCountsButTheRoleOnlyFirstChunkDoesNot()
    {
        var parser = Parse(
            """data: {"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}],"usage":null}""" + "\n\n" +
            """data: {"choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}],"usage":null}""" + "\n\n" +
            """data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}""" + "\n\n" +
            "data: [DONE]\n\n");

        Assert.Equal(2, parser.TokenTimes.Count);
        Assert.Null(parser.CompletionTokens);
        Assert.True(parser.Done);
    }

    [Fact]
    public void DataLinesOfOneEventJoin()
    {
        var parser = Parse("data: {\"choices\":\ndata: [{\"text\":\"x\",\"finish_reason\":null}]}\n\ndata: [DONE]\n\n");

        Assert.Single(parser.TokenTimes);
        Assert.Null(parser.Error);
    }

    [Fact]
    public void ALateErrorEventIsReportedWithItsMessage()
    {
        var parser = Parse(
            """data: {"choices":[{"text":"a","finish_reason":null}]}""" + "\n\n" +
            """data: {"error":{"message":"The server is shutting down.","type":"server_error","param":null,"code":null}}""" + "\n\n");

        Assert.Equal("The server is shutting down.", parser.Error);
        Assert.False(parser.Done);
        Assert.Single(parser.TokenTimes);
    }

    [Theory]
    [InlineData("data: {not json\n\n", "not JSON")]
    [InlineData("data: [1,2]\n\n", "not a JSON object")]
    [InlineData("data: [DONE]\n\ndata: {}\n\n", "after [DONE]")]
    public void BrokenStreamsAreErrors(string stream, string expected)
    {
        Assert.Contains(expected, Parse(stream).Error);
    }

    [Fact]
    public void AnUnfinishedEventIsNotDispatched()
    {
        var parser = Parse("""data: {"choices":[{"text":"a","finish_reason":null}]}""" + "\n");

        Assert.Empty(parser.TokenTimes);
        Assert.Equal(0, parser.Events);
        Assert.False(parser.Done);
    }

    private static StreamTimingParser Parse(string stream)
    {
        var parser = new StreamTimingParser();
        parser.Feed(Encoding.UTF8.GetBytes(stream), timestamp: 0);
        return parser;
    }
}
