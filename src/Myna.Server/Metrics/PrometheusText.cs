using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Myna.Server.Metrics;

/// <summary>
/// Aggregates one <see cref="Meter"/>'s measurements with a <see cref="MeterListener"/> and writes them in the Prometheus
/// text exposition format (version 0.0.4): counters as sums, gauges as the last value, histograms as cumulative buckets
/// with <c>_sum</c> and <c>_count</c>, bucket bounds from each histogram's advice.
/// </summary>
/// <remarks>
/// Why not OpenTelemetry's Prometheus exporter (OpenTelemetry.Exporter.Prometheus.AspNetCore): the served package is a
/// pre-release (1.x-beta) that derives the exposed names from each instrument's unit and kind (unit and <c>_total</c>
/// suffixes), adds <c>otel_scope_*</c> labels and a <c>target_info</c> series, and brings the OpenTelemetry SDK with it.
/// The issue fixes the names (<c>myna_requests_waiting</c>, …) that autoscalers and dashboards key on; this writer
/// prints exactly those, in under two hundred lines, and any OpenTelemetry pipeline can still read the meter itself.
/// </remarks>
public sealed class PrometheusText : IDisposable
{
    /// <summary>The content type of the exposition format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private static readonly double[] DefaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly MeterListener _listener = new();
    private readonly List<Series> _instruments = []; // guarded by itself; in publication order
    private readonly object _scrape = new();

    /// <summary>Listens to the instruments of <paramref name="meter"/> (that instance only, not others of the same name).</summary>
    public PrometheusText(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (!ReferenceEquals(instrument.Meter, meter)) return;
            var series = new Series(instrument);
            lock (_instruments) _instruments.Add(series);
            listener.EnableMeasurementEvents(instrument, series);
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) => ((Series)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>((_, value, tags, state) => ((Series)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, state) => ((Series)state!).Record(value, tags));
        _listener.Start();
    }

    /// <summary>Every instrument's current values in the text format (observable instruments are read now).</summary>
    public string Write()
    {
        var text = new StringBuilder(4096);
        lock (_scrape)
        {
            _listener.RecordObservableInstruments();
            Series[] all;
            lock (_instruments) all = _instruments.ToArray();
            foreach (Series series in all) series.Write(text);
        }
        return text.ToString();
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    private enum Kind { Counter, Gauge, Histogram }

    /// <summary>One instrument's values, one entry per label set.</summary>
    private sealed class Series
    {
        private readonly Instrument _instrument;
        private readonly Kind _kind;
        private readonly double[] _bounds;
        private readonly SortedDictionary<string, Values> _byLabels = new(StringComparer.Ordinal);

        public Series(Instrument instrument)
        {
            _instrument = instrument;
            _kind = instrument switch
            {
                Counter<long> or Counter<int> or Counter<double> or ObservableCounter<long> or ObservableCounter<int> or ObservableCounter<double> => Kind.Counter,
                Histogram<double> or Histogram<long> or Histogram<int> => Kind.Histogram,
                _ => Kind.Gauge, // observable gauges and up-down counters
            };
            _bounds = instrument switch
            {
                Histogram<double> h => h.Advice?.HistogramBucketBoundaries?.ToArray(),
                Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
                Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
                _ => null,
            } ?? DefaultBuckets;
        }

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string labels = Labels(tags);
            lock (_byLabels)
            {
                if (!_byLabels.TryGetValue(labels, out Values? values)) _byLabels[labels] = values = new Values(_bounds.Length);
                switch (_kind)
                {
                    case Kind.Counter when _instrument.IsObservable: values.Sum = value; break; // observable counters report their total
                    case Kind.Counter: values.Sum += value; break;
                    case Kind.Gauge when _instrument.IsObservable: values.Sum = value; break;
                    case Kind.Gauge: values.Sum += value; break; // up-down counters add
                    default:
                        values.Sum += value;
                        values.Count++;
                        int bucket = Array.BinarySearch(_bounds, value);
                        values.Buckets[bucket >= 0 ? bucket : ~bucket]++; // bounds are inclusive upper limits (le)
                        break;
                }
            }
        }

        public void Write(StringBuilder text)
        {
            string name = _instrument.Name;
            if (_instrument.Description is { Length: > 0 } help) text.Append("# HELP ").Append(name).Append(' ').Append(help.Replace("\\", "\\\\").Replace("\n", "\\n")).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(_kind switch { Kind.Counter => "counter", Kind.Histogram => "histogram", _ => "gauge" }).Append('\n');
            lock (_byLabels)
            {
                foreach ((string labels, Values values) in _byLabels)
                {
                    if (_kind != Kind.Histogram)
                    {
                        text.Append(name).Append(Braced(labels)).Append(' ').Append(Number(values.Sum)).Append('\n');
                        continue;
                    }
                    long cumulative = 0;
                    for (int b = 0; b <= _bounds.Length; b++)
                    {
                        cumulative += values.Buckets[b];
                        string le = b < _bounds.Length ? Number(_bounds[b]) : "+Inf";
                        text.Append(name).Append("_bucket").Append(Braced(Join(labels, $"le=\"{le}\""))).Append(' ').Append(cumulative).Append('\n');
                    }
                    text.Append(name).Append("_sum").Append(Braced(labels)).Append(' ').Append(Number(values.Sum)).Append('\n');
                    text.Append(name).Append("_count").Append(Braced(labels)).Append(' ').Append(values.Count).Append('\n');
                }
            }
        }

        private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (tags.IsEmpty) return "";
            var pairs = new List<(string Key, string Value)>(tags.Length);
            foreach (KeyValuePair<string, object?> tag in tags) pairs.Add((tag.Key, Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? ""));
            pairs.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
            return string.Join(",", pairs.Select(p => $"{p.Key}=\"{Escape(p.Value)}\""));
        }

        private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");

        private static string Join(string labels, string more) => labels.Length == 0 ? more : labels + "," + more;

        private static string Braced(string labels) => labels.Length == 0 ? "" : "{" + labels + "}";

        private static string Number(double value) => value switch
        {
            double.PositiveInfinity => "+Inf",
            double.NegativeInfinity => "-Inf",
            double.NaN => "NaN",
            _ => value.ToString("R", CultureInfo.InvariantCulture),
        };
    }

    private sealed class Values(int bounds)
    {
        public double Sum;
        public long Count;
        public readonly long[] Buckets = new long[bounds + 1];
    }
}
