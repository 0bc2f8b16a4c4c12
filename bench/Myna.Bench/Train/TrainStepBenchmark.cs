using Myna.Bench;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Myna.Models;
using Myna.Tensors;

namespace Myna.Bench.Train;

/// <summary>
/// <c>myna bench train</c>: time full fp32 training steps of a randomly initialised GPT model on random tokens, and report
/// speed against the machine's FMA peak. Each step is <see cref="TrainingStep"/>, the step <c>myna train</c> runs
/// (forward, backward, gradient norm, and the AdamW update that averages, clips and clears the gradients as it goes).
/// </summary>
/// <remarks>
/// FLOPs per step (the PaLM / nanoGPT estimate): <c>6·N·tokens + 12·L·C·T·tokens</c>, where N counts the parameters
/// used in matmuls (12·C² per block plus the V·C LM head; not the embedding lookups, biases or LayerNorms), 6 = 2 for
/// the forward multiply-add and 4 for the two backward products, and the second term is attention's q·kᵀ and att·v
/// (forward and backward) counted without the causal halving. Peak = cores × measured clock × flop/cycle, where cores
/// is the compute thread count capped at the processor count and flop/cycle comes from <see cref="CpuPeak"/> for the
/// tier this process runs (64 with two full-width 512-bit FMA pipes, as on Zen 5; 32 on Zen 4 and at the AVX2 tier),
/// the same peak `myna bench gemm` uses.
/// </remarks>
public static class TrainStepBenchmark
{
    // Training hyperparameters: typical GPT-2 values (those of `myna train`'s defaults); they do not change the cost of
    // a step. Clipping stays on so the timed step does all the work a default training step does.
    private const float LearningRate = 3e-4f;

    private static readonly TrainingStepSettings Settings = new(
        Beta1: 0.9f, Beta2: 0.95f, Epsilon: 1e-8f, WeightDecay: 0.1f, MaxGradientNorm: 1f, AccumulationSteps: 1);

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
        var step = new TrainingStep(model, new AdamW(model), Settings);
        var (tokens, targets) = RandomBatch(options, config.VocabSize);
        void SameBatch(int[] inputIds, int[] targetIds)
        {
            tokens.CopyTo(inputIds, 0);
            targets.CopyTo(targetIds, 0);
        }

        double firstLoss = double.NaN, lastLoss = double.NaN;
        for (int i = 0; i < options.WarmupSteps; i++)
        {
            double loss = step.Run(LearningRate, SameBatch).Loss;
            if (i == 0) firstLoss = loss;
        }
        var phases = new TrainingStepTimes();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < options.Steps; i++)
        {
            lastLoss = step.Run(LearningRate, SameBatch, phases).Loss;
            if (double.IsNaN(firstLoss)) firstLoss = lastLoss;
        }
        clock.Stop();

        int tokensPerStep = options.Batch * options.SequenceLength;
        double seconds = clock.Elapsed.TotalSeconds / options.Steps;
        double flops = FlopsPerStep(config, options.SequenceLength, tokensPerStep);
        int threads = ComputePool.Shared.ThreadCount;
        // Threads beyond the logical processor count add no FMA units.
        int cores = Math.Min(threads, Environment.ProcessorCount);
        // The same peak as `myna bench gemm`: clock × flop/cycle of the tier this process runs (Zen 5 and Intel run
        // two full 512-bit FMA pipes: 64 flop/cycle at avx512; Zen 4, and every AVX2 run, 32), at the clock the core
        // was measured to run (boost included), so MFU is not flattered by a nominal clock below the real one.
        CpuPeak cpu = CpuPeak.Detect();
        double clockGhz = cpu.MeasuredClockMhz / 1000;
        double peak = cores * clockGhz * cpu.FlopPerCycle;
        double? nominalPeak = cpu.GflopsPerCore * cores;
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
            MfuAtNominalClock: nominalPeak > 0 ? flops / seconds / 1e9 / nominalPeak : null,
            Isa: SimdTiers.Name(SimdTiers.Current),
            Kernel: Myna.Tensors.Gemm.KernelDescription,
            PeakWorkingSetMb: process.PeakWorkingSet64 / (1024.0 * 1024.0),
            FirstLoss: (float)firstLoss,
            LastLoss: (float)lastLoss,
            ForwardMs: phases.ForwardSeconds / options.Steps * 1e3,
            BackwardMs: phases.BackwardSeconds / options.Steps * 1e3,
            OptimizerMs: phases.OptimizerSeconds / options.Steps * 1e3);
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
            if (r.MfuAtNominalClock is { } nominal) writer.WriteNumber("mfu_at_nominal_clock", Math.Round(nominal, 4));
            else writer.WriteNull("mfu_at_nominal_clock");
            writer.WriteString("myna_isa", r.Isa);
            writer.WriteString("myna_kernel", r.Kernel);
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
        output.WriteLine(string.Create(inv, $"train step: {r.Preset} ({r.Parameters / 1e6:0.0}M parameters), B={r.Batch} T={r.SequenceLength}, {r.Threads} threads, {r.Steps} timed steps, {r.Isa} tier ({r.Kernel})"));
        output.WriteLine(string.Create(inv, $"  {r.MsPerStep:0.0} ms/step, {r.TokensPerSecond:0} tokens/s, loss {r.FirstLoss:0.000} -> {r.LastLoss:0.000}"));
        output.WriteLine(string.Create(inv, $"  forward {r.ForwardMs:0.0} ms, backward {r.BackwardMs:0.0} ms, optimizer (norm, clipped AdamW) {r.OptimizerMs:0.0} ms"));
        output.WriteLine(string.Create(inv, $"  {r.Gflops:0.0} GFLOP/s of {r.FlopsPerStep / 1e9:0.00} GFLOP/step (6*N_matmul*tokens + 12*L*C*T*tokens)"));
        output.WriteLine(string.Create(inv, $"  MFU {r.Mfu:P1} of {r.PeakGflops:0.0} GFLOP/s peak ({r.Cores} cores * {r.ClockGhz:0.###} GHz measured * {r.FlopPerCycle} flop/cycle)"));
        if (r.MfuAtNominalClock is { } nominal) output.WriteLine(string.Create(inv, $"  MFU {nominal:P1} at the nominal clock"));
        output.WriteLine($"  peak: {r.PeakNote}");
        output.WriteLine(string.Create(inv, $"  peak working set {r.PeakWorkingSetMb:0} MB"));
    }
}
