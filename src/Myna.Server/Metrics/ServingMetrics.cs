using System.Diagnostics.Metrics;
using Myna.Generation;
using Myna.Server.Hosting;

namespace Myna.Server.Metrics;

/// <summary>
/// The server's instruments on the meter <c>Myna.Serving</c> (System.Diagnostics.Metrics, so any listener — dotnet-counters,
/// OpenTelemetry — can read them too). Names are already Prometheus names (<see cref="PrometheusText"/> prints them as they
/// are): counters end in <c>_total</c>, times are in seconds. One instance per server, so two servers in one process
/// (tests) count apart.
/// </summary>
public sealed class ServingMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Myna.Serving";

    // Seconds: a tiny model answers in milliseconds, GPT-2 on two cores in tens of ms per token and seconds per reply.
    private static readonly double[] LatencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

    // Rows per forward pass: 1…--parallel decode rows plus up to --prefill-chunk (64) prompt tokens.
    private static readonly double[] RowBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256];

    private readonly Counter<long> _requests, _promptTokens, _completionTokens, _rejected, _cancelled, _prefixReuseRequests;
    private readonly Histogram<double> _batchRows, _timeToFirstToken, _interTokenLatency, _duration;
    private readonly GenerationScheduler _scheduler;

    /// <summary>Instruments over <paramref name="served"/>'s scheduler; subscribes to its steps.</summary>
    public ServingMetrics(ServedModel served)
    {
        ArgumentNullException.ThrowIfNull(served);
        _scheduler = served.Scheduler;
        Meter = new Meter(MeterName);
        _requests = Meter.CreateCounter<long>("myna_requests_total", null, "HTTP requests answered, by route pattern and status.");
        _promptTokens = Meter.CreateCounter<long>("myna_prompt_tokens_total", "{token}", "Prompt tokens submitted for generation.");
        _completionTokens = Meter.CreateCounter<long>("myna_completion_tokens_total", "{token}", "Tokens generated.");
        _rejected = Meter.CreateCounter<long>("myna_requests_rejected_total", null, "Requests refused before generation, by reason (queue_full, rate_limit, draining, unauthorized).");
        _cancelled = Meter.CreateCounter<long>("myna_requests_cancelled_total", null, "Requests stopped before their end, by reason (client_left, timeout, shutdown).");
        _prefixReuseRequests = Meter.CreateCounter<long>("myna_prefix_reuse_requests_total", null, "Requests whose prompt reused a cached prefix in a slot.");
        Meter.CreateObservableCounter("myna_prefix_reuse_tokens_total", () => _scheduler.Statistics.ReusedPromptTokens, "{token}", "Prompt tokens found cached in a slot and not recomputed.");
        Meter.CreateObservableGauge("myna_requests_running", () => _scheduler.Running, null, "Requests holding slots (llama.cpp's requests_processing).");
        Meter.CreateObservableGauge("myna_requests_waiting", () => _scheduler.Waiting, null, "Requests queued for a slot (llama.cpp's requests_deferred): the autoscaling signal.");
        Meter.CreateObservableGauge("myna_slots_used", () => _scheduler.SlotsInUse, null, "KV-cache slots in use.");
        Meter.CreateObservableGauge("myna_slots_total", () => _scheduler.Capacity, null, "KV-cache slots (--parallel).");
        Meter.CreateObservableGauge("myna_kv_cache_bytes", () => _scheduler.CacheBytes, "By", "Bytes of the KV cache.");
        _batchRows = Meter.CreateHistogram<double>("myna_batch_rows", null, "Rows per forward pass (decode rows plus prompt tokens), one sample per scheduler step.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = RowBuckets });
        _timeToFirstToken = Meter.CreateHistogram<double>("myna_time_to_first_token_seconds", "s", "From the request's arrival to its first generated token.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _interTokenLatency = Meter.CreateHistogram<double>("myna_inter_token_latency_seconds", "s", "Between consecutive tokens of a sequence.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _duration = Meter.CreateHistogram<double>("myna_request_duration_seconds", "s", "From a generation request's arrival to its last byte.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _scheduler.StepCompleted += OnStep;
    }

    /// <summary>The meter the instruments belong to.</summary>
    public Meter Meter { get; }

    /// <summary>Called by the scheduler after each step, on its thread.</summary>
    private void OnStep(SchedulerStep step)
    {
        _batchRows.Record(step.Rows);
        if (step.FirstTokens.Count == 0) return;
        long now = System.Diagnostics.Stopwatch.GetTimestamp();
        foreach (GenerationRequest request in step.FirstTokens) GenerationRun.RecordOf(request)?.MarkFirstToken(now);
    }

    /// <summary>Counts one answered request and, for a generation, its tokens and times.</summary>
    internal void RecordRequest(RequestRecord record, int status, TimeSpan elapsed)
    {
        _requests.Add(1, new KeyValuePair<string, object?>("route", record.Route), new KeyValuePair<string, object?>("status", status));
        if (record.PromptTokens > 0) _promptTokens.Add(record.PromptTokens);
        if (record.CompletionTokens > 0) _completionTokens.Add(record.CompletionTokens);
        if (record.ReusedPrefix) _prefixReuseRequests.Add(1);
        if (record.TimeToFirstToken is { } ttft) _timeToFirstToken.Record(ttft.TotalSeconds);
        if (record.Submitted) _duration.Record(elapsed.TotalSeconds);
    }

    /// <summary>Counts a request refused before generation.</summary>
    internal void RecordRejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>Counts a request stopped before its end.</summary>
    internal void RecordCancelled(string reason) => _cancelled.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>Records the gap between two tokens of one sequence.</summary>
    internal void RecordInterTokenLatency(TimeSpan gap) => _interTokenLatency.Record(gap.TotalSeconds);

    /// <inheritdoc />
    public void Dispose()
    {
        _scheduler.StepCompleted -= OnStep;
        Meter.Dispose();
    }
}
