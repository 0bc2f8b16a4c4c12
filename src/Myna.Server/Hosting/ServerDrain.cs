using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Myna.Server.Errors;
using Myna.Server.Metrics;

namespace Myna.Server.Hosting;

/// <summary>
/// Graceful shutdown. When the host begins to stop (SIGTERM, Ctrl+C): (1) <c>/ready</c> and every new request get 503
/// with Retry-After, so a load balancer moves on; (2) requests in flight get <see cref="ServerOptions.ShutdownGrace"/>
/// to finish; (3) then <see cref="GraceOver"/> fires, which stops their generations (a stream ends with an error event,
/// a whole answer becomes a 503); (4) only then do the scheduler and Kestrel stop.
/// </summary>
/// <remarks>
/// The wait runs in <see cref="StoppingAsync"/>, which the host calls on every lifecycle service before it stops any
/// hosted service, so Kestrel still serves (and answers the 503s) throughout the grace.
/// </remarks>
public sealed class ServerDrain : IHostedLifecycleService, IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(10);
    private readonly CancellationTokenSource _graceOver = new();
    private readonly ServerOptions _options;
    private readonly CancellationTokenRegistration _onStopping;
    private int _inFlight;
    private volatile bool _draining;

    /// <summary>A drain that begins when <paramref name="lifetime"/> says the host is stopping.</summary>
    public ServerDrain(ServerOptions options, IHostApplicationLifetime lifetime)
    {
        ArgumentNullException.ThrowIfNull(lifetime);
        _options = options;
        _onStopping = lifetime.ApplicationStopping.Register(() => _draining = true);
    }

    /// <summary>Whether the server is shutting down and takes no new work.</summary>
    public bool IsDraining => _draining;

    /// <summary>What 503 answers while draining tell clients to wait.</summary>
    public TimeSpan RetryAfter => _options.RetryAfter;

    /// <summary>Requests past the gate and not yet answered.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Fires when the grace is over: every request still running is stopped.</summary>
    public CancellationToken GraceOver => _graceOver.Token;

    /// <summary>The gate: 503 for new requests while draining (the probes and metrics still answer); counts the rest in flight.</summary>
    public static IApplicationBuilder UseDrain(IApplicationBuilder app)
    {
        ServerDrain drain = app.ApplicationServices.GetRequiredService<ServerDrain>();
        app.Use(async (context, next) =>
        {
            if (IsProbe(context.Request.Path))
            {
                await next(context).ConfigureAwait(false);
                return;
            }
            if (drain.IsDraining)
            {
                context.RequestServices.GetService<ServingMetrics>()?.RecordRejected("draining");
                throw OpenAiException.Draining(drain._options.RetryAfter);
            }
            Interlocked.Increment(ref drain._inFlight);
            try
            {
                await next(context).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref drain._inFlight);
            }
        });
        return app;
    }

    /// <summary>Routes that keep answering while draining: the probes (so /ready can say 503 itself) and the metrics.</summary>
    internal static bool IsProbe(PathString path) =>
        path.Equals("/health", StringComparison.OrdinalIgnoreCase) || path.Equals("/ready", StringComparison.OrdinalIgnoreCase) || path.Equals("/metrics", StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _draining = true;
        // 1. The grace: requests in flight run on.
        await WaitForIdleAsync(_options.ShutdownGrace, cancellationToken).ConfigureAwait(false);
        if (InFlight == 0) return;
        // 2. Over: stop what is left, and give it a moment to send its error event.
        await _graceOver.CancelAsync().ConfigureAwait(false);
        await WaitForIdleAsync(StopMargin, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How long stopped requests get to write their error (and the host beyond the grace, in <see cref="MynaServer"/>).</summary>
    internal static TimeSpan StopMargin => TimeSpan.FromSeconds(5);

    private async Task WaitForIdleAsync(TimeSpan within, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (InFlight > 0 && clock.Elapsed < within && !cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <inheritdoc />
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public void Dispose()
    {
        _onStopping.Dispose();
        _graceOver.Dispose();
    }
}
