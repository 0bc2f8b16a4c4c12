using Microsoft.Extensions.Hosting;

namespace Myna.Server.Hosting;

/// <summary>
/// The background service that owns the decode loop: it drives the served model's scheduler on its own thread for the
/// life of the host. Requests only submit and read. When the host stops — after <see cref="ServerDrain"/> has let the
/// requests in flight finish or stopped them — whatever is still queued or running is cancelled.
/// </summary>
public sealed class SchedulerHost(ServedModel served) : BackgroundService
{
    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => served.Scheduler.RunAsync(stoppingToken);
}
