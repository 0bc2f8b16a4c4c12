using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Myna.Evaluation.Perplexity;
using Myna.Models.Perplexity;
using Myna.Generation;
using Myna.Models;
using Myna.Tensors;

namespace Myna.Bench.Evaluation;

/// <summary>
/// <c>myna bench ppl</c>: how long <c>myna eval ppl</c> takes next to the training forward pass over the same windows,
/// measured in the same process, rounds interleaved. The reference is <see cref="GptModel.Forward(ReadOnlySpan{int}, ReadOnlySpan{int})"/> (the forward of
/// a training step, loss included) over exactly the windows the evaluation scores, B of them per pass, so the ratio
/// says whether scoring costs more than the training forward on the same tokens. A second reference, the training
/// forward over the text once (consecutive non-overlapping windows, as a validation pass reads it), shows what the
/// stride's overlap costs; it is not the same work and is not in the ratio.
/// </summary>
public static class PerplexityBenchmark
{
    /// <summary>Runs the benchmark on <paramref name="tokens"/>; writes one JSON object (when <paramref name="json"/>) or readable lines.</summary>
    /// <exception cref="ArgumentException">An option is out of range, or the tokens do not suit the model.</exception>
    public static PerplexityBenchResult Run(GptLanguageModel model, int[] tokens, PerplexityBenchOptions options, TextWriter output, bool json)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        if (options.Rounds < 1) throw new ArgumentException($"rounds must be at least 1; it is {options.Rounds}.");
        if (options.TrainingBatch < 1) throw new ArgumentException($"the training batch must be at least 1; it is {options.TrainingBatch}.");
        (int window, int stride) = PerplexityWindows.Resolve(model.Config.ContextLength, tokens.Length, options.Stride, options.Window);
        IReadOnlyList<PerplexityWindow> windows = PerplexityWindows.Plan(tokens.Length, window, stride);
        var training = new TrainingForward(model, windows.Max(w => w.Length), options.TrainingBatch);

        // 1. One untimed run of each method (JIT, first touch of every buffer).
        bool engine = options.IncludeEngine && model.Precision == Models.Inference.InferencePrecision.F32;
        PerplexityResult evaluated = Eval(model, tokens, window, stride, PerplexityMethod.Auto);
        PerplexityResult? engineResult = engine ? Eval(model, tokens, window, stride, PerplexityMethod.KeyValueCache) : null;
        double trainingPerplexity = training.Perplexity(tokens, windows);
        training.Once(tokens);

        // 2. Rounds, each method once per round in turn.
        var evalMs = new List<double>();
        var engineMs = new List<double>();
        var trainingMs = new List<double>();
        var onceMs = new List<double>();
        for (int round = 0; round < options.Rounds; round++)
        {
            evalMs.Add(Time(() => Eval(model, tokens, window, stride, PerplexityMethod.Auto)));
            trainingMs.Add(Time(() => training.Perplexity(tokens, windows)));
            if (engine) engineMs.Add(Time(() => Eval(model, tokens, window, stride, PerplexityMethod.KeyValueCache)));
            onceMs.Add(Time(() => training.Once(tokens)));
        }
        double[] ratios = [.. evalMs.Zip(trainingMs, (e, t) => e / t).Order()];

        var result = new PerplexityBenchResult(
            tokens.Length, window, stride, windows.Count, windows.Sum(w => (long)w.Length), options.TrainingBatch, options.Rounds,
            ComputePool.Shared.ThreadCount, SimdTiers.Name(SimdTiers.Current), model.Precision.ToString().ToLowerInvariant(),
            EvalMs: Median(evalMs),
            EngineMs: engine ? Median(engineMs) : null,
            TrainingForwardMs: Median(trainingMs),
            TrainingForwardOnceMs: Median(onceMs),
            RatioMedian: Median(ratios),
            RatioBest: ratios[0],
            RatioWorst: ratios[^1],
            EvalPerplexity: evaluated.Perplexity,
            EnginePerplexity: engineResult?.Perplexity,
            TrainingForwardPerplexity: trainingPerplexity);
        if (json) output.WriteLine(ToJson(result));
        else WriteText(result, output);
        return result;
    }

    private static PerplexityResult Eval(GptLanguageModel model, int[] tokens, int window, int stride, PerplexityMethod method) =>
        PerplexityEvaluator.Evaluate(model, tokens, stride, window, method: method);

    private static double Time(Action action)
    {
        long start = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static double Median(IReadOnlyList<double> values)
    {
        double[] sorted = [.. values.Order()];
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>
    /// The training forward (<see cref="GptModel.Forward(ReadOnlySpan{int}, ReadOnlySpan{int})"/>: blocks, head over every row, softmax cross-entropy with its
    /// gradient) over batches of B windows of T tokens; a short window is padded after its end and the padding ignored.
    /// </summary>
    private sealed class TrainingForward
    {
        private readonly GptModel _model;
        private readonly int[] _ids;
        private readonly int[] _targets;

        public TrainingForward(GptLanguageModel source, int time, int batch)
        {
            _model = new GptModel(source.Config, batch, time);
            source.Weights.Values.CopyTo(_model.Parameters);
            _ids = new int[batch * time];
            _targets = new int[batch * time];
        }

        /// <summary>Perplexity over the evaluation's windows, scoring what each window scores.</summary>
        public double Perplexity(int[] tokens, IReadOnlyList<PerplexityWindow> windows)
        {
            int batch = _model.BatchSize, time = _model.SequenceLength;
            double nll = 0;
            long scored = 0;
            for (int first = 0; first < windows.Count; first += batch)
            {
                Array.Clear(_ids);
                Array.Fill(_targets, GptModel.IgnoreIndex);
                int count = Math.Min(batch, windows.Count - first), counted = 0;
                for (int j = 0; j < count; j++)
                {
                    PerplexityWindow w = windows[first + j];
                    tokens.AsSpan(w.Start, w.Length).CopyTo(_ids.AsSpan(j * time));
                    for (int next = w.FirstScored; next < w.End; next++) _targets[j * time + next - 1 - w.Start] = tokens[next];
                    counted += w.Scored;
                }
                nll += (double)_model.Forward(_ids, _targets) * counted;
                scored += counted;
            }
            return Math.Exp(nll / scored);
        }

        /// <summary>The text once, in consecutive windows of T tokens each predicting its next tokens.</summary>
        public void Once(int[] tokens)
        {
            int batch = _model.BatchSize, time = _model.SequenceLength;
            int sequences = (tokens.Length - 1) / time;
            for (int first = 0; first < sequences; first += batch)
            {
                Array.Clear(_ids);
                Array.Fill(_targets, GptModel.IgnoreIndex);
                int count = Math.Min(batch, sequences - first);
                for (int j = 0; j < count; j++)
                {
                    int start = (first + j) * time;
                    tokens.AsSpan(start, time).CopyTo(_ids.AsSpan(j * time));
                    tokens.AsSpan(start + 1, time).CopyTo(_targets.AsSpan(j * time));
                }
                _model.Forward(_ids, _targets);
            }
        }
    }

    private static string ToJson(PerplexityBenchResult r)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("eval_ms", Math.Round(r.EvalMs, 1));
            writer.WriteNumber("training_forward_ms", Math.Round(r.TrainingForwardMs, 1));
            writer.WriteNumber("eval_over_training_forward", Math.Round(r.RatioMedian, 4));
            writer.WriteNumber("eval_over_training_forward_best", Math.Round(r.RatioBest, 4));
            writer.WriteNumber("eval_over_training_forward_worst", Math.Round(r.RatioWorst, 4));
            if (r.EngineMs is { } engine)
            {
                writer.WriteNumber("engine_ms", Math.Round(engine, 1));
                writer.WriteNumber("engine_over_training_forward", Math.Round(engine / r.TrainingForwardMs, 4));
            }
            else
            {
                writer.WriteNull("engine_ms");
                writer.WriteNull("engine_over_training_forward");
            }
            writer.WriteNumber("training_forward_once_ms", Math.Round(r.TrainingForwardOnceMs, 1));
            writer.WriteNumber("eval_perplexity", r.EvalPerplexity);
            if (r.EnginePerplexity is { } p) writer.WriteNumber("engine_perplexity", p);
            else writer.WriteNull("engine_perplexity");
            writer.WriteNumber("training_forward_perplexity", r.TrainingForwardPerplexity);
            writer.WriteNumber("tokens", r.Tokens);
            writer.WriteNumber("window", r.Window);
            writer.WriteNumber("stride", r.Stride);
            writer.WriteNumber("windows", r.Windows);
            writer.WriteNumber("window_tokens", r.WindowTokens);
            writer.WriteNumber("training_batch", r.TrainingBatch);
            writer.WriteNumber("rounds", r.Rounds);
            writer.WriteNumber("threads", r.Threads);
            writer.WriteString("myna_isa", r.Isa);
            writer.WriteString("dtype", r.Dtype);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteText(PerplexityBenchResult r, TextWriter output)
    {
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"eval ppl: {r.Tokens} tokens, window {r.Window}, stride {r.Stride} ({r.Windows} windows, {r.WindowTokens} tokens fed), {r.Dtype}, {r.Threads} threads, {r.Isa} tier, median of {r.Rounds} rounds"));
        output.WriteLine(string.Create(inv, $"  eval ppl                            {r.EvalMs,9:0.0} ms   perplexity {r.EvalPerplexity:0.00000}"));
        output.WriteLine(string.Create(inv, $"  training forward, same windows, B={r.TrainingBatch} {r.TrainingForwardMs,9:0.0} ms   perplexity {r.TrainingForwardPerplexity:0.00000}"));
        if (r.EngineMs is { } engine)
            output.WriteLine(string.Create(inv, $"  inference engine, window by window  {engine,9:0.0} ms   perplexity {r.EnginePerplexity:0.00000}"));
        output.WriteLine(string.Create(inv, $"  training forward, text once         {r.TrainingForwardOnceMs,9:0.0} ms   (no overlap: not the same work)"));
        output.WriteLine(string.Create(inv, $"  eval ppl / training forward: {r.RatioMedian:0.000} (rounds: best {r.RatioBest:0.000}, worst {r.RatioWorst:0.000})"));
    }
}
