using Microsoft.AspNetCore.Builder;
using Myna.Generation;
using Myna.Models.Inference;
using Myna.Server;
using Myna.Tests.Generation;

namespace Myna.Tests.Server;

/// <summary>A real Kestrel server on a free loopback port over a tiny model, with an HttpClient pointed at it.</summary>
internal sealed class RunningServer : IAsyncDisposable
{
    public const string ModelId = "tiny";

    private RunningServer(WebApplication app, GptLanguageModel model)
    {
        App = app;
        Model = model;
        Address = MynaServer.ListeningAddress(app);
        Http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public WebApplication App { get; }

    public GptLanguageModel Model { get; }

    public Uri Address { get; }

    /// <summary>The OpenAI base address (…/v1).</summary>
    public Uri OpenAiEndpoint => new(Address, "/v1");

    public HttpClient Http { get; }

    public GenerationScheduler Scheduler => MynaServer.Scheduler(App);

    /// <summary>Starts a server on port 0 over the model in <paramref name="directory"/>.</summary>
    public static async Task<RunningServer> StartAsync(string directory, ServerOptions? options = null, InferencePrecision precision = InferencePrecision.F32)
    {
        GptLanguageModel model = GptLanguageModel.FromPretrained(directory, precision);
        WebApplication app = MynaServer.Build(model, ModelId, (options ?? new ServerOptions()) with { Port = 0 });
        await app.StartAsync();
        return new RunningServer(app, model);
    }

    /// <summary>GET /metrics, parsed: each sample line's series (name and labels, as printed) and value.</summary>
    public async Task<IReadOnlyDictionary<string, double>> MetricsAsync()
    {
        HttpResponseMessage response = await Http.GetAsync("/metrics");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        return ParseMetrics(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Prometheus text, parsed: each sample line's series and value (comment lines skipped).</summary>
    public static IReadOnlyDictionary<string, double> ParseMetrics(string text)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith('#')) continue;
            int space = line.LastIndexOf(' ');
            samples.Add(line[..space], line[(space + 1)..] switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                string number => double.Parse(number, System.Globalization.CultureInfo.InvariantCulture),
            });
        }
        return samples;
    }

    /// <summary>Waits until <paramref name="condition"/> holds, polling; false when <paramref name="within"/> passes first.</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (condition()) return true;
            await Task.Delay(5);
        }
        return condition();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
