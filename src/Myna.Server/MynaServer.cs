using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Myna.Generation;
using Myna.Server.Endpoints;
using Myna.Server.Errors;
using Myna.Server.Hosting;
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
    /// <exception cref="ArgumentException">An option is invalid, or the model has no tokenizer.</exception>
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
            IPAddress address = options.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback : IPAddress.Parse(options.Host);
            kestrel.Listen(address, options.Port);
        });
        builder.Services.AddSingleton(served);
        builder.Services.AddHostedService<SchedulerHost>();

        WebApplication app = builder.Build();
        app.UseOpenAiErrors();
        app.MapPlayground();
        app.UseApiKeys(keys);
        app.MapHealth();
        app.MapModels();
        app.MapChatCompletions();
        app.MapCompletions();
        app.MapTokenization();
        return app;
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
