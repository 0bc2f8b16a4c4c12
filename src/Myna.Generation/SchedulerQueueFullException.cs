namespace Myna.Generation;

/// <summary>A <see cref="GenerationScheduler"/> refused a request because <see cref="SchedulerOptions.MaxQueue"/> requests already wait (a server answers 429).</summary>
public sealed class SchedulerQueueFullException(int waiting)
    : InvalidOperationException($"{waiting} requests are already waiting for a slot; try again later.")
{
    /// <summary>Requests waiting when this one was refused.</summary>
    public int Waiting { get; } = waiting;
}
