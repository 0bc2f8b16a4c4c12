using Myna.Bench;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Myna.Models;
using Myna.Tensors;

namespace Myna.Bench.Train;

/// <summary>
/// <c>myna bench train</c>: time full fp32 training steps (forward, backward, gradient norm, clipped AdamW that also
/// zeroes the gradients) of a randomly
/// initialised GPT model on random tokens, and report speed against the machine's FMA peak.
/// </summary>
/// <remarks>
/// FLOPs per step (the PaLM / nanoGPT estimate): <c>6·N·tokens + 12·L·C·T·tokens</c>, where N counts the parameters
/// used in matmuls (12·C² per block plus the V·C LM head; not the embedding lookups, biases or LayerNorms), 6 = 2 for
/// the forward multiply-add and 4 for the two backward products, and the second term is attention's q·kᵀ and att·v
/// (forward and backward) counted without the causal halving. Peak = cores × clock × flop/cycle, where cores is
/// the compute thread count capped at the processor count and flop/cycle comes from <see cref="CpuPeak"/> (64 with two
/// full-width 512-bit FMA pipes, as on Zen 5; 32 on Zen 4 and AVX2 machines), the same peak `myna bench gemm` uses.
/// </remarks>
public static class TrainStepBenchmark
{
    // Training hyperparameters: typical GPT-2 values; they do not change the cost of a step.
    private const float LearningRate = 3e-4f, Beta1 = 0.9f, Beta2 = 0.95f, Epsilon = 1e-8f, WeightDecay = 0.1f, MaxGradNorm = 1f;

    /// <summary>Runs the benchmark; writes one JSON object (when <paramref name="json"/>) or readable lines to <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException">An option is out of range or the preset is unknown.</exception>
    public static TrainStepResult Run(TrainStepOptions options, TextWriter output, bool json)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        if (options.Steps < 1) throw new ArgumentException($"steps must be at least 1; it is {options.Steps}.");
        if (options.WarmupSteps < 0) throw new ArgumentException($"warm-up steps must not be negative; it is {options.WarmupSteps}.");
        GptConfig config = GptConfig.FromPreset(options.Preset);
        if (options.SequenceLength > config.ContextLength)
            throw new ArgumentException($"seq-len {options.SequenceLength} exceeds the {options.Preset} context length {config.ContextLength}.");
        if (options.Batch < 1 || options.SequenceLength < 1)
            throw new ArgumentException($"batch and seq-len must be at least 1; they are {options.Batch} and {options.SequenceLength}.");

        var model = new GptModel(config, options.Batch, options.SequenceLength);
        model.InitializeRandom(options.Seed);
        var optimizer = new AdamW(model);
        model.ZeroGradients();
        var (tokens, targets) = RandomBatch(options, config.VocabSize);

        float firstLoss = float.NaN, lastLoss = float.NaN;
        for (int i = 0; i < options.WarmupSteps; i++)
        {
            float loss = Step(model, optimizer, tokens, targets, phases: null);
            if (i == 0) firstLoss = loss;
        }
        var phases = new double[3];
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < options.Steps; i++)
        {
            lastLoss = Step(model, optimizer, tokens, targets, phases);
            if (float.IsNaN(firstLoss)) firstLoss = lastLoss;
        }
        clock.Stop();

        int tokensPerStep = options.Batch * options.SequenceLength;
        double seconds = clock.Elapsed.TotalSeconds / options.Steps;
        double flops = FlopsPerStep(config, options.SequenceLength, tokensPerStep);
        int threads = ComputePool.Shared.ThreadCount;
        // Threads beyond the logical processor count add no FMA units.
        int cores = Math.Min(threads, Environment.ProcessorCount);
        // The same peak as `myna bench gemm`: clock × flop/cycle of this CPU family (Zen 5 and Intel run two full
        // 512-bit FMA pipes: 64 flop/cycle; Zen 4 and AVX2 machines 32).
        CpuPeak cpu = CpuPeak.Detect();
        double clockGhz = cpu.GflopsPerCore is double perCore ? perCore / cpu.FlopPerCycle : cpu.MeasuredClockMhz / 1000;
        double peak = cores * clockGhz * cpu.FlopPerCycle;
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var result = new TrainStepResult(
            options.Preset, options.Batch, options.SequenceLength, options.Steps, threads, cores, model.ParameterCount,
            MsPerStep: seconds * 1e3,
            TokensPerSecond: tokensPerStep / seconds,
            FlopsPerStep: flops,
            Gflops: flops / seconds / 1e9,
            ClockGhz: clockGhz,
            FlopPerCycle: cpu.FlopPerCycle,
            PeakNote: cpu.Note,
            PeakGflops: peak,
            Mfu: peak > 0 ? flops / seconds / 1e9 / peak : double.NaN,
            PeakWorkingSetMb: process.PeakWorkingSet64 / (1024.0 * 1024.0),
            FirstLoss: firstLoss,
            LastLoss: lastLoss,
            ForwardMs: phases[0] / options.Steps * 1e3,
            BackwardMs: phases[1] / options.Steps * 1e3,
            OptimizerMs: phases[2] / options.Steps * 1e3);
        if (json) output.WriteLine(ToJson(result));
        else WriteText(result, output);
        return result;
    }

    /// <summary>Training FLOPs of one step (see the class remarks for the formula).</summary>
    public static double FlopsPerStep(GptConfig config, int sequenceLength, int tokens)
    {
        double c = config.EmbeddingSize;
        double matmulParameters = config.LayerCount * 12.0 * c * c + (double)config.VocabSize * c;
        double attention = 12.0 * config.LayerCount * c * sequenceLength;
        return (6.0 * matmulParameters + attention) * tokens;
    }

    // AdamW.Step leaves the gradients zero, so the step needs no separate ZeroGradients pass.
    // One step; adds the seconds spent in forward, backward and the optimizer (norm + AdamW) to phases when given.
    private static float Step(GptModel model, AdamW optimizer, int[] tokens, int[] targets, double[]? phases)
    {
        long t0 = Stopwatch.GetTimestamp();
        float loss = model.Forward(tokens, targets);
        long t1 = Stopwatch.GetTimestamp();
        model.Backward();
        long t2 = Stopwatch.GetTimestamp();
        // Clipping folded into the update: one read of the gradients for the norm, none to rescale them.
        float clip = GradientClipping.ClipFactor(model.GradientNorm(), MaxGradNorm);
        optimizer.Step(LearningRate, Beta1, Beta2, Epsilon, WeightDecay, clip);
        long t3 = Stopwatch.GetTimestamp();
        if (phases is not null)
        {
            phases[0] += Stopwatch.GetElapsedTime(t0, t1).TotalSeconds;
            phases[1] += Stopwatch.GetElapsedTime(t1, t2).TotalSeconds;
            phases[2] += Stopwatch.GetElapsedTime(t2, t3).TotalSeconds;
        }
        return loss;
    }

    private static (int[] Tokens, int[] Targets) RandomBatch(TrainStepOptions options, int vocab)
    {
        var rng = new Random(unchecked((int)options.Seed));
        int n = options.Batch * options.SequenceLength;
        int[] stream = new int[n + 1];
        for (int i = 0; i < stream.Length; i++) stream[i] = rng.Next(vocab);
        return (stream[..n], stream[1..]);
    }

    private static string ToJson(TrainStepResult r)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("ms_per_step", Math.Round(r.MsPerStep, 3));
            writer.WriteNumber("tokens_per_s", Math.Round(r.TokensPerSecond, 1));
            writer.WriteNumber("gflops", Math.Round(r.Gflops, 2));
            writer.WriteNumber("mfu", Math.Round(r.Mfu, 4));
            writer.WriteNumber("peak_gflops", Math.Round(r.PeakGflops, 1));
            writer.WriteNumber("peak_working_set_mb", Math.Round(r.PeakWorkingSetMb, 1));
            writer.WriteString("preset", r.Preset);
            writer.WriteNumber("batch", r.Batch);
            writer.WriteNumber("seq_len", r.SequenceLength);
            writer.WriteNumber("steps", r.Steps);
            writer.WriteNumber("threads", r.Threads);
            writer.WriteNumber("cores", r.Cores);
            writer.WriteNumber("parameters", r.Parameters);
            writer.WriteNumber("flops_per_step", r.FlopsPerStep);
            writer.WriteNumber("clock_ghz", Math.Round(r.ClockGhz, 3));
            // Spelled without '+', which System.Text.Json always escapes.
            writer.WriteString("flops_formula", "6*N_matmul*tokens plus 12*L*C*T*tokens (N_matmul = 12*L*C^2 of blocks plus V*C of the LM head)");
            writer.WriteString("peak_formula", $"{r.Cores} cores * {r.ClockGhz:0.###} GHz * {r.FlopPerCycle} flop/cycle");
            writer.WriteString("peak_note", r.PeakNote);
            writer.WriteNumber("forward_ms", Math.Round(r.ForwardMs, 3));
            writer.WriteNumber("backward_ms", Math.Round(r.BackwardMs, 3));
            writer.WriteNumber("optimizer_ms", Math.Round(r.OptimizerMs, 3));
            writer.WriteNumber("first_loss", r.FirstLoss);
            writer.WriteNumber("last_loss", r.LastLoss);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteText(TrainStepResult r, TextWriter output)
    {
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"train step: {r.Preset} ({r.Parameters / 1e6:0.0}M parameters), B={r.Batch} T={r.SequenceLength}, {r.Threads} threads, {r.Steps} timed steps"));
        output.WriteLine(string.Create(inv, $"  {r.MsPerStep:0.0} ms/step, {r.TokensPerSecond:0} tokens/s, loss {r.FirstLoss:0.000} -> {r.LastLoss:0.000}"));
        output.WriteLine(string.Create(inv, $"  forward {r.ForwardMs:0.0} ms, backward {r.BackwardMs:0.0} ms, optimizer (norm, clipped AdamW) {r.OptimizerMs:0.0} ms"));
        output.WriteLine(string.Create(inv, $"  {r.Gflops:0.0} GFLOP/s of {r.FlopsPerStep / 1e9:0.00} GFLOP/step (6*N_matmul*tokens + 12*L*C*T*tokens)"));
        output.WriteLine(string.Create(inv, $"  MFU {r.Mfu:P1} of {r.PeakGflops:0.0} GFLOP/s peak ({r.Cores} cores * {r.ClockGhz:0.###} GHz * {r.FlopPerCycle} flop/cycle)"));
        output.WriteLine($"  peak: {r.PeakNote}");
        output.WriteLine(string.Create(inv, $"  peak working set {r.PeakWorkingSetMb:0} MB"));
    }
}
