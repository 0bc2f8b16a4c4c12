namespace Myna.Generation;

/// <summary>
/// Counters of a <see cref="GenerationScheduler"/> since it was built: what its steps did and where their time went.
/// Time outside the forward pass is the per-token overhead (sampling, detokenising, stop matching, bookkeeping).
/// </summary>
/// <param name="Steps">Steps that ran a forward pass.</param>
/// <param name="DecodeRows">Rows that fed a sampled token back (one per decoding sequence per step).</param>
/// <param name="PrefillRows">Prompt tokens fed (prefix-cache hits excluded).</param>
/// <param name="ReusedPromptTokens">Prompt tokens found already cached in a slot and not recomputed.</param>
/// <param name="TokensGenerated">Tokens sampled.</param>
/// <param name="ForwardTime">Time inside <c>GptInference.Forward</c>.</param>
/// <param name="StepTime">Time inside steps that ran a forward pass, all of it.</param>
public sealed record SchedulerStatistics(
    long Steps, long DecodeRows, long PrefillRows, long ReusedPromptTokens, long TokensGenerated, TimeSpan ForwardTime, TimeSpan StepTime)
{
    /// <summary>Step time outside the forward pass.</summary>
    public TimeSpan OverheadTime => StepTime - ForwardTime;

    /// <summary>Mean milliseconds per step outside the forward pass (what <c>myna bench generate</c> reports as overhead_ms_per_step).</summary>
    public double OverheadMillisecondsPerStep => Steps == 0 ? 0 : OverheadTime.TotalMilliseconds / Steps;

    /// <summary>Mean milliseconds per step inside the forward pass.</summary>
    public double ForwardMillisecondsPerStep => Steps == 0 ? 0 : ForwardTime.TotalMilliseconds / Steps;

    /// <summary>Mean rows per step (batch occupancy).</summary>
    public double RowsPerStep => Steps == 0 ? 0 : (double)(DecodeRows + PrefillRows) / Steps;
}
