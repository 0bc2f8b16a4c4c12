using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Myna.Generation;
using Myna.Server.Endpoints;
using Myna.Server.Errors;
using Myna.Server.Audit;
using Myna.Server.Hosting;
using Myna.Server.Limits;
using Myna.Server.Metrics;
using Myna.Server.Security;

namespace Myna.Server;

/// <summary>
/// The OpenAI-compatible HTTP service over one model: <see cref="Build"/> reads as the server's table of contents.
/// <code>
/// var app = MynaServer.Build(GptLanguageModel.FromPretrained("models/myna-default"), "myna-default", new ServerOptions { Port = 0 });
/// await app.StartAsync();
/// Console.WriteLine(MynaServer.ListeningAddress(app));
/// </code>
/// </summary>
public static class MynaServer
{
    /// <summary>Builds the server for <paramref name="model"/>, served as <paramref name="modelId"/> (unless the options name it).</summary>
    /// <exception cref="ArgumentException">An option is invalid, the model has no tokenizer, or the audit log path is refused.</exception>
    /// <exception cref="IOException">The audit log cannot be opened.</exception>
    public static WebApplication Build(GptLanguageModel model, string modelId, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var served = new ServedModel(model, options.ServedModelName ?? modelId, options);
        var keys = new ApiKeySet(options.ApiKeys);

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes;
            kestrel.Limits.RequestHeadersTimeout = options.RequestHeadersTimeout;
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(options.MinRequestBodyBytesPerSecond, TimeSpan.FromSeconds(5));
            IPAddress address = options.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback : IPAddress.Parse(options.Host);
            kestrel.Listen(address, options.Port);
        });
        // The host waits for the drain (the grace, then a moment for the stopped requests' error events) before it gives up.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.ShutdownGrace + 2 * ServerDrain.StopMargin);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(served);
        builder.Services.AddSingleton<ServingMetrics>();
        builder.Services.AddSingleton(services => new PrometheusText(services.GetRequiredService<ServingMetrics>().Meter));
        builder.Services.AddSingleton<ServerDrain>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ServerDrain>());
        builder.Services.AddHostedService<SchedulerHost>();
        if (options.AuditLog is { } auditPath)
        {
            // Opened now, so a refused path fails the start rather than the first request; the container closes it.
            AuditLog audit = AuditLog.Open(auditPath, options.LogContent);
            builder.Services.AddSingleton(_ => audit);
        }
        builder.Services.AddMynaRateLimits(options);
        if (options.CorsOrigins.Count > 0) builder.Services.AddCors();

        WebApplication app = builder.Build();
        // Resolved now so the exposition listens from the first request on.
        app.Services.GetRequiredService<PrometheusText>();
        app.UseRequestRecording(options);
        app.UseOpenAiErrors();
        if (options.CorsOrigins.Count > 0) app.UseCors(cors => AllowOrigins(cors, options.CorsOrigins));
        ServerDrain.UseDrain(app);
        // The playground's static files come before the key check: the page itself is public, its API calls are not.
        app.MapPlayground();
        app.UseApiKeys(keys);
        app.UseMynaRateLimits(options);
        app.UseRequestDeadline(options);
        app.MapHealth();
        app.MapMetrics();
        app.MapModels();
        app.MapChatCompletions();
        app.MapCompletions();
        app.MapTokenization();
        app.MapSupport();
        app.MapTranslate();
        app.MapRecommend();
        return app;
    }

    /// <summary>CORS for the named origins only (any, for *): the API's methods and headers, and the headers a browser client reads back.</summary>
    private static void AllowOrigins(CorsPolicyBuilder cors, IReadOnlyList<string> origins)
    {
        if (origins.Contains("*")) cors.AllowAnyOrigin();
        else cors.WithOrigins(origins.Select(o => o.TrimEnd('/')).ToArray());
        cors.WithMethods("GET", "POST").AllowAnyHeader()
            .WithExposedHeaders("X-Request-Id", ResponseHeaders.IgnoredFields, "Retry-After", "retry-after-ms");
    }

    /// <summary>The address a started server listens on (with the port the system chose for port 0).</summary>
    /// <exception cref="InvalidOperationException">The server has not started.</exception>
    public static Uri ListeningAddress(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("the server has not started.");
        return new Uri(address);
    }

    /// <summary>The scheduler of a built server (for its counters: running, waiting, slots in use).</summary>
    public static GenerationScheduler Scheduler(WebApplication app) => app.Services.GetRequiredService<ServedModel>().Scheduler;
}
