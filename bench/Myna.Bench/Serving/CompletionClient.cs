using System.Diagnostics;
using System.Net.Http.Headers;

namespace Myna.Bench.Serving;

/// <summary>Sends one streamed completion and times it as it arrives (<see cref="StreamTimingParser"/>).</summary>
public static class CompletionClient
{
    /// <summary>Large enough that a read takes whatever the server flushed (an event is a few hundred bytes).</summary>
    private const int ReadBufferBytes = 16 * 1024;

    /// <summary>The most of an error body kept in <see cref="CompletionTiming.Error"/>.</summary>
    private const int ErrorExcerptChars = 200;

    /// <summary>An HttpClient for load on <paramref name="address"/>: no timeout of its own (runs cancel), a connection per client.</summary>
    public static HttpClient CreateHttpClient(Uri address) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, UseProxy = false })
        {
            BaseAddress = address,
            Timeout = Timeout.InfiniteTimeSpan,
        };

    /// <summary>
    /// Posts <paramref name="body"/> to <see cref="CompletionRequestBody.Route"/> and reads the answer to its end.
    /// <paramref name="onTokens"/> hears the running count of token-bearing events as they come. Never throws for the
    /// server's or the network's sake: those end up in the result's status and error.
    /// </summary>
    public static async Task<CompletionTiming> SendAsync(HttpClient http, byte[] body, Action<int>? onTokens, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(http);
        long start = Stopwatch.GetTimestamp();
        int status = 0;
        var parser = new StreamTimingParser();
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, CompletionRequestBody.Route) { Content = content };
            using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation).ConfigureAwait(false);
            status = (int)response.StatusCode;
            if (status != 200)
            {
                string error = await response.Content.ReadAsStringAsync(cancellation).ConfigureAwait(false);
                return new CompletionTiming(status, start, Stopwatch.GetTimestamp(), [], 0, false, error[..Math.Min(error.Length, ErrorExcerptChars)]);
            }
            Stream stream = await response.Content.ReadAsStreamAsync(cancellation).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                byte[] buffer = new byte[ReadBufferBytes];
                int read;
                while ((read = await stream.ReadAsync(buffer, cancellation).ConfigureAwait(false)) > 0)
                {
                    int before = parser.TokenTimes.Count;
                    parser.Feed(buffer.AsSpan(0, read), Stopwatch.GetTimestamp());
                    if (parser.TokenTimes.Count > before) onTokens?.Invoke(parser.TokenTimes.Count);
                }
            }
            return Result(status, start, parser, null);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return Result(status, start, parser, "cancelled: the run's deadline passed while the request was in flight.");
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return Result(status, start, parser, ex.Message);
        }
    }

    private static CompletionTiming Result(int status, long start, StreamTimingParser parser, string? failure) =>
        new(status, start, Stopwatch.GetTimestamp(), [.. parser.TokenTimes], parser.CompletionTokens ?? parser.TokenTimes.Count, parser.Done && failure is null,
            failure ?? parser.Error ?? (parser.Done ? null : "the stream ended without [DONE]."));
}
