using System.Diagnostics;
using System.Text.Json;
using Myna.Models;
using Myna.Models.Checkpoints;
using Myna.Models.Perplexity;
using Myna.Tensors;
using Myna.Text.Output;

namespace Myna.Training;

/// <summary>
/// The training loop: forward, backward and AdamW over (B, T) windows from the shards, with gradient accumulation and
/// clipping, a warm-up + cosine learning rate, validation every eval interval, best and last checkpoints, metrics.jsonl,
/// loss.png and report.md. A run stopped at any step boundary (cancellation, crash after a checkpoint) and resumed
/// continues with the same losses, bit for bit, as an uninterrupted run with the same seed and thread count.
/// Validation runs before the first step too, so every run shows where it started.
/// </summary>
/// <param name="requested">The options; derived defaults are made explicit when the run starts (<see cref="TrainingOptions.Resolve"/>).</param>
/// <param name="observer">Called after logged steps, validation passes, checkpoints and notes.</param>
public sealed class Trainer(TrainingOptions requested, Action<TrainingProgress>? observer = null)
{
    /// <summary>The run's report in the output folder.</summary>
    public const string ReportFileName = "report.md";


    /// <summary>The options of the run saved in <c>OUT/last</c>, to resume with (flags and a config file may then override them).</summary>
    /// <exception cref="TrainingOptionsException">There is no resumable checkpoint in <paramref name="outputDirectory"/>.</exception>
    public static TrainingOptions SavedOptions(string outputDirectory)
    {
        string last = CheckpointStore.Recover(outputDirectory, CheckpointStore.LastName)
            ?? throw new TrainingOptionsException($"--resume: '{outputDirectory}' has no checkpoint ({CheckpointStore.LastName}/) to resume from.");
        TrainingOptions saved = TrainingOptions.FromJson(TrainingCheckpoint.ReadState(last).Options.GetRawText());
        // Runs recorded before a new model's context defaulted to the sequence length left it null (the preset's);
        // the checkpoint's own shape says what it was.
        if (saved.InitFrom is null && saved.ContextLength is null)
            saved = saved with { ContextLength = HfGpt2Config.Read(Path.Combine(last, HfGpt2Config.FileName)).ContextLength };
        return saved;
    }

    /// <summary>Runs (or, with <paramref name="resume"/>, continues) training until the last step, early stopping or cancellation.</summary>
    /// <exception cref="TrainingOptionsException">Invalid options, or data and model that do not fit together; raised before any training step.</exception>
    public TrainingResult Run(bool resume = false, CancellationToken cancellation = default)
    {
        // 1. Check everything that can be checked before any work; make the derived defaults explicit.
        requested.Validate();
        TrainingOptions options = Resolve(requested);
        options.Validate();
        string outDir = options.Out!;
        // A run writes into --out file by file (checkpoints, log, report); the data and models it reads are never written.
        try
        {
            OutputFolder.CheckWritableFolder(outDir, new[] { options.Data, options.InitFrom, options.Tokenizer }.OfType<string>().Where(Path.Exists));
        }
        catch (IOException ex)
        {
            throw new TrainingOptionsException(ex.Message);
        }
        var notes = new List<string>();
        int threads = ApplyThreads(options.Threads, notes);

        using TrainingData data = TrainingData.Open(options.Data!);
        string? lastDir = resume
            ? CheckpointStore.Recover(outDir, CheckpointStore.LastName) ?? throw new TrainingOptionsException($"--resume: '{outDir}' has no checkpoint to resume from.")
            : null;
        if (!resume && CheckpointStore.Recover(outDir, CheckpointStore.LastName) is not null)
            throw new TrainingOptionsException($"'{outDir}' already holds a checkpoint; continue it with --resume or choose another --out.");
        TrainerState? saved = lastDir is null ? null : TrainingCheckpoint.ReadState(lastDir);
        if (saved is not null && options.TotalSteps < saved.Step)
            throw new TrainingOptionsException(
                $"--max-steps {options.TotalSteps} is below the checkpoint's step {saved.Step}: a resumed run only goes forward; give --max-steps {saved.Step} or more.", isUsage: true);
        if (saved is not null && saved.TokenizerFingerprint is { } fp && !string.Equals(fp, data.Meta.Tokenizer.Fingerprint, StringComparison.OrdinalIgnoreCase))
            throw new TrainingOptionsException($"the checkpoint in '{outDir}' was trained with tokenizer hash {fp[..Math.Min(16, fp.Length)]}, the shards in '{data.Directory}' use another; resume with the same data.");

        // 2. The model's shape: the checkpoint's, the fine-tuned model's, or the preset with the shards' vocabulary.
        GptWeights? initial = null;
        GptConfig config;
        string? tokenizerDir;
        if (lastDir is not null)
        {
            config = HfGpt2Config.Read(Path.Combine(lastDir, HfGpt2Config.FileName));
            RequireSameShape(options, config, lastDir);
            tokenizerDir = ModelDirectory.HasTokenizer(lastDir) ? lastDir : data.ResolveTokenizerDirectory(options.Tokenizer);
        }
        else if (options.InitFrom is string initFrom)
        {
            if (!Directory.Exists(initFrom)) throw new TrainingOptionsException($"--init-from '{initFrom}' does not exist: give a model directory (config.json + model.safetensors).");
            if (ModelDirectory.HasTokenizer(initFrom))
            {
                data.CheckSameTokenizer(initFrom, "--init-from");
                tokenizerDir = initFrom;
            }
            else tokenizerDir = data.ResolveTokenizerDirectory(options.Tokenizer);
            try
            {
                initial = GptCheckpoint.Load(initFrom);
            }
            catch (ModelFormatException ex)
            {
                throw new TrainingOptionsException($"--init-from: {ex.Message}");
            }
            config = initial.Config;
        }
        else
        {
            config = options.ModelConfig(data.Meta.Tokenizer.VocabSize);
            tokenizerDir = data.ResolveTokenizerDirectory(options.Tokenizer);
        }
        if (config.VocabSize < data.Meta.Tokenizer.VocabSize)
            throw new TrainingOptionsException($"the model's vocabulary ({config.VocabSize}) is smaller than the shards' ({data.Meta.Tokenizer.VocabSize}).");
        if (options.SequenceLength > config.ContextLength)
            throw new TrainingOptionsException($"--seq-len {options.SequenceLength} exceeds the model's context length {config.ContextLength}.");
        if (config.ContextLength > options.SequenceLength)
            notes.Add($"the model's context is {config.ContextLength} tokens and training windows are {options.SequenceLength}: positions {options.SequenceLength}-{config.ContextLength - 1} are not trained (use --seq-len {config.ContextLength}).");
        if (tokenizerDir is null && !data.Meta.Tokenizer.IsItemVocabulary)
            notes.Add($"no tokenizer folder found for '{data.Meta.Tokenizer.Name}'; checkpoints hold no tokenizer files (pass --tokenizer DIR).");

        // 3. Data, model, optimizer, schedule; restored from the checkpoint when resuming.
        int sequenceLength = options.SequenceLength!.Value; // resolved in step 1
        var trainLoader = new TokenWindowLoader(data.Train, sequenceLength, options.DataOrder, options.Seed, "train");
        TokenWindowLoader? valLoader = data.Val.Count > sequenceLength
            ? new TokenWindowLoader(data.Val, sequenceLength, DataOrder.Sequential, options.Seed, "val")
            : null;
        // Batches past the split's last window only repeat it: the same number, much later (1e9 would never end).
        if (valLoader is not null && (valLoader.WindowCount + options.BatchSize - 1) / options.BatchSize is long distinct && options.EvalBatches > distinct)
        {
            notes.Add($"--eval-batches {options.EvalBatches} is more than the validation split holds ({valLoader.WindowCount:N0} windows, {distinct:N0} batches of {options.BatchSize}); each validation pass reads those {distinct:N0} batches.");
            options = options with { EvalBatches = (int)distinct };
        }
        if (valLoader is null)
            notes.Add("the validation split has too few tokens for one window; no validation loss (re-shard with a larger --val-fraction).");
        if (valLoader is null && options.EarlyStoppingPatience > 0)
            throw new TrainingOptionsException("early stopping needs validation tokens, and the validation split is too small for one window.");

        RequireMemory(config, options.BatchSize, sequenceLength);
        var model = new GptModel(config, options.BatchSize, sequenceLength);
        var optimizer = new AdamW(model);
        if (saved is not null)
        {
            TrainingCheckpoint.LoadTrainingState(lastDir!, model, optimizer, saved);
            trainLoader.Position = new LoaderPosition(saved.Rng.DataEpoch, saved.Rng.DataCursor);
        }
        else if (initial is not null) initial.Values.CopyTo(model.Parameters);
        else model.InitializeRandom(options.Seed);
        var schedule = LearningRateSchedule.From(options);
        if (saved is not null && ScheduleChange(TrainingOptions.FromJson(saved.Options.GetRawText()), options, saved.Step) is string change)
        {
            notes.Add(change);
            observer?.Invoke(new TrainingProgress("note", saved.Step, options.TotalSteps, saved.TokensSeen, saved.TrainLoss ?? double.NaN, saved.ValLoss,
                schedule.At(saved.Step), 0, TimeSpan.Zero, change));
        }
        var step = new TrainingStep(model, optimizer, new TrainingStepSettings(
            (float)options.Beta1, (float)options.Beta2, (float)options.Epsilon, (float)options.WeightDecay,
            (float)options.GradClip, options.GradientAccumulationSteps, (float)options.Dropout, options.Seed));
        Directory.CreateDirectory(outDir);
        AtomicFile.WriteAllText(Path.Combine(outDir, "options.json"), options.ToJson() + "\n");
        using var metrics = MetricsLog.Open(outDir, saved?.Step);

        // 4. The loop; each iteration is one optimizer step over GradientAccumulationSteps micro-batches.
        var run = new RunState
        {
            Step = saved?.Step ?? 0,
            TokensSeen = saved?.TokensSeen ?? 0,
            BestValLoss = saved?.BestValLoss,
            BestStep = saved?.BestStep,
            EvalsWithoutImprovement = saved?.EvalsWithoutImprovement ?? 0,
            TrainLoss = saved?.TrainLoss ?? double.NaN,
            ValLoss = saved?.ValLoss,
        };
        double priorSeconds = saved?.ElapsedSeconds ?? 0;
        int total = options.TotalSteps;
        int startStep = run.Step;
        var inputs = new int[options.BatchSize * sequenceLength];
        var targets = new int[inputs.Length];
        var wall = Stopwatch.StartNew();
        var stepClock = new Stopwatch();
        string stopReason = "completed";
        int plotted = -1; // records drawn in loss.png so far
        string title = $"{data.Meta.Tokenizer.Name} · {(options.InitFrom is null ? options.Preset : "fine-tune")} · B={options.BatchSize} T={sequenceLength}";

        double SessionTokensPerSecond() =>
            stepClock.Elapsed.TotalSeconds > 0 ? (run.Step - startStep) * (double)options.TokensPerStep / stepClock.Elapsed.TotalSeconds : 0;
        TimeSpan Eta() => run.Step > startStep
            ? TimeSpan.FromSeconds(stepClock.Elapsed.TotalSeconds / (run.Step - startStep) * (total - run.Step))
            : TimeSpan.Zero;
        TrainerState State() => new()
        {
            Step = run.Step,
            TokensSeen = run.TokensSeen,
            Rng = new TrainerState.RandomState(options.Seed, trainLoader.Position.Epoch, trainLoader.Position.Cursor),
            BestValLoss = run.BestValLoss,
            BestStep = run.BestStep,
            EvalsWithoutImprovement = run.EvalsWithoutImprovement,
            TrainLoss = double.IsNaN(run.TrainLoss) ? null : run.TrainLoss,
            ValLoss = run.ValLoss,
            ElapsedSeconds = priorSeconds + wall.Elapsed.TotalSeconds,
            Threads = threads,
            TokenizerFingerprint = data.Meta.Tokenizer.Fingerprint,
            Options = JsonSerializer.SerializeToElement(options, TrainingOptions.JsonOptions),
        };
        PerplexityResult? heldOut = null; // measured once, at the end of a run that was not stopped
        string SaveLast()
        {
            TrainerState state = State();
            string path = CheckpointStore.Commit(outDir, CheckpointStore.LastName, dir =>
            {
                TrainingCheckpoint.SaveModel(dir, model, tokenizerDir, data.Meta.Tokenizer.EndOfTextId);
                TrainingCheckpoint.SaveTrainingState(dir, model.Layout, optimizer, state);
                TrainingCard.Write(dir, options, data.Meta, config, model.ParameterCount, state, heldOut);
            });
            observer?.Invoke(new TrainingProgress("checkpoint", run.Step, total, run.TokensSeen, run.TrainLoss, run.ValLoss,
                schedule.At(Math.Max(0, run.Step - 1)), SessionTokensPerSecond(), Eta(), path));
            return path;
        }

        // One validation pass: the loss, its record, a new best checkpoint; true when early stopping says stop.
        bool ValidationPass(double lr)
        {
            run.ValLoss = Evaluate(model, valLoader!, inputs, targets, options.EvalBatches);
            metrics.Add(new MetricsRecord
            {
                Kind = "val", Step = run.Step, Tokens = run.TokensSeen, ValLoss = run.ValLoss, ValPerplexity = Math.Exp(run.ValLoss.Value),
                ElapsedSeconds = priorSeconds + wall.Elapsed.TotalSeconds,
            });
            observer?.Invoke(new TrainingProgress("val", run.Step, total, run.TokensSeen, run.TrainLoss, run.ValLoss, lr, SessionTokensPerSecond(), Eta()));
            if (run.BestValLoss is null || run.ValLoss < run.BestValLoss)
            {
                run.BestValLoss = run.ValLoss;
                run.BestStep = run.Step;
                run.EvalsWithoutImprovement = 0;
                TrainerState state = State();
                CheckpointStore.Commit(outDir, CheckpointStore.BestName, dir =>
                {
                    TrainingCheckpoint.SaveModel(dir, model, tokenizerDir, data.Meta.Tokenizer.EndOfTextId);
                    TrainingCard.Write(dir, options, data.Meta, config, model.ParameterCount, state);
                });
            }
            else run.EvalsWithoutImprovement++;
            LossPlot.Write(Path.Combine(outDir, LossPlot.FileName), metrics.Records, title);
            plotted = metrics.Records.Count;
            return options.EarlyStoppingPatience > 0 && run.EvalsWithoutImprovement >= options.EarlyStoppingPatience;
        }

        // Where the run starts: the fresh or pretrained model's validation loss before any step (a resumed run has it already).
        if (saved is null && valLoader is not null && !cancellation.IsCancellationRequested) ValidationPass(schedule.At(0));

        while (run.Step < total)
        {
            if (cancellation.IsCancellationRequested)
            {
                stopReason = "interrupted";
                break;
            }
            stepClock.Start();
            float lr = (float)schedule.At(run.Step);
            TrainingStepResult stepResult = step.Run(lr, (inputIds, targetIds) => trainLoader.NextBatch(inputIds, targetIds), step: run.Step);
            float gradNorm = stepResult.GradientNorm;
            stepClock.Stop();
            run.Step++;
            run.TokensSeen += options.TokensPerStep;
            run.TrainLoss = stepResult.Loss;
            if (!double.IsFinite(run.TrainLoss))
                throw new TrainingOptionsException($"the training loss became {run.TrainLoss} at step {run.Step}; lower --lr or set grad_clip, then resume from the last checkpoint.");

            bool last = run.Step == total;
            if (run.Step % options.LogInterval == 0 || last || run.Step == startStep + 1)
            {
                metrics.Add(new MetricsRecord
                {
                    Kind = "train", Step = run.Step, Tokens = run.TokensSeen, TrainLoss = run.TrainLoss, LearningRate = lr,
                    GradNorm = gradNorm, TokensPerSecond = SessionTokensPerSecond(), ElapsedSeconds = priorSeconds + wall.Elapsed.TotalSeconds,
                });
                observer?.Invoke(new TrainingProgress("train", run.Step, total, run.TokensSeen, run.TrainLoss, run.ValLoss, lr, SessionTokensPerSecond(), Eta()));
            }

            bool evaluate = valLoader is not null && ((options.EvalInterval > 0 && run.Step % options.EvalInterval == 0) || last);
            if (evaluate && ValidationPass(lr))
            {
                stopReason = "early_stopping";
                break;
            }

            if (!last && options.CheckpointInterval > 0 && run.Step % options.CheckpointInterval == 0) SaveLast();
        }

        // 5. Held-out perplexity by its one definition (the whole validation split, the model's context as the window,
        //    half of it as the stride), as eval ppl and quickstart measure it; skipped when the run was stopped, which
        //    must save and exit at once.
        if (stopReason != "interrupted" && data.Val.Count >= 2)
        {
            try
            {
                heldOut = MeasureHeldOut(model, config, data.Val, cancellation);
            }
            catch (OperationCanceledException)
            {
                stopReason = "interrupted";
            }
        }

        // 6. Final checkpoint, plot and report (also after Ctrl+C, so no finished step is lost).
        string checkpoint = SaveLast();
        if (plotted != metrics.Records.Count) LossPlot.Write(Path.Combine(outDir, LossPlot.FileName), metrics.Records, title);
        var result = new TrainingResult(run.Step, run.TrainLoss, run.ValLoss, SessionTokensPerSecond(), checkpoint,
            run.BestStep is null ? null : Path.Combine(outDir, CheckpointStore.BestName), stopReason, run.TokensSeen,
            priorSeconds + wall.Elapsed.TotalSeconds, notes) { HeldOut = heldOut };
        TrainingReport.Write(Path.Combine(outDir, ReportFileName), options, data, config, model.ParameterCount, result, threads, run.BestValLoss, run.BestStep);
        return result;
    }

    /// <summary>The held-out perplexity of the model as it stands, over the whole validation split.</summary>
    private static PerplexityResult MeasureHeldOut(GptModel model, GptConfig config, ShardSplit val, CancellationToken cancellation)
    {
        if (val.Count > int.MaxValue) throw new TrainingOptionsException($"the validation split holds {val.Count:N0} tokens; held-out perplexity reads at most {int.MaxValue:N0}.");
        var weights = new GptWeights(config);
        model.Parameters.CopyTo(weights.Values);
        var tokens = new int[val.Count];
        val.CopyTo(0, tokens);
        return WindowedLoss.HeldOut(weights, tokens, cancellation: cancellation);
    }

    /// <summary>Mean loss over the first EvalBatches validation batches: the same windows every pass, so passes compare.</summary>
    private static float Evaluate(GptModel model, TokenWindowLoader val, int[] inputs, int[] targets, int batches)
    {
        val.Position = new LoaderPosition(0, 0);
        double sum = 0;
        for (int i = 0; i < batches; i++)
        {
            val.NextBatch(inputs, targets);
            sum += model.Forward(inputs, targets);
        }
        return (float)(sum / batches);
    }

    /// <summary>
    /// The requested options with the derived defaults made explicit; a fine-tune without --seq-len reads the
    /// model's context from its config.json.
    /// </summary>
    /// <exception cref="TrainingOptionsException">The --init-from folder is not a model directory.</exception>
    private static TrainingOptions Resolve(TrainingOptions options)
    {
        if (options.InitFrom is not string initFrom || options.SequenceLength is not null) return options.Resolve();
        string configPath = Path.Combine(initFrom, HfGpt2Config.FileName);
        if (!File.Exists(configPath))
            throw new TrainingOptionsException($"--init-from '{initFrom}' is not a model directory: it has no {HfGpt2Config.FileName} (give config.json + model.safetensors).");
        try
        {
            return options.Resolve(HfGpt2Config.Read(configPath).ContextLength);
        }
        catch (ModelFormatException ex)
        {
            throw new TrainingOptionsException($"--init-from: {ex.Message}");
        }
    }

    /// <summary>
    /// One line when resuming with options that move the learning-rate schedule (a new --max-steps, --lr, --min-lr,
    /// --warmup or --decay-steps): what changed and the rate at the resumed step before and after; null when the schedule is the same.
    /// </summary>
    public static string? ScheduleChange(TrainingOptions before, TrainingOptions after, int step)
    {
        var changes = new List<string>();
        void Compare<T>(string flag, T old, T now)
        {
            if (!EqualityComparer<T>.Default.Equals(old, now)) changes.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{flag} {old} → {now}"));
        }
        Compare("--max-steps", before.TotalSteps, after.TotalSteps);
        Compare("--lr", before.LearningRate, after.LearningRate);
        Compare("--min-lr", before.MinLearningRate, after.MinLearningRate);
        Compare("--warmup", before.WarmupSteps, after.WarmupSteps);
        // Unset, the decay follows --max-steps, which is named above already.
        if (before.DecaySteps is not null || after.DecaySteps is not null)
            Compare("--decay-steps", before.DecaySteps ?? before.TotalSteps, after.DecaySteps ?? after.TotalSteps);
        if (changes.Count == 0) return null;
        double old = LearningRateSchedule.From(before).At(step), now = LearningRateSchedule.From(after).At(step);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"schedule changed on resume ({string.Join(", ", changes)}): the learning rate at step {step} goes from {old:0.###e+0} to {now:0.###e+0}.");
    }

    private static int ApplyThreads(int requestedThreads, List<string> notes)
    {
        // The compute pool reads MYNA_THREADS once, when first used; a process that has not computed yet picks this up.
        if (requestedThreads > 0) Environment.SetEnvironmentVariable("MYNA_THREADS", requestedThreads.ToString(System.Globalization.CultureInfo.InvariantCulture));
        int actual = ComputePool.Shared.ThreadCount;
        if (requestedThreads > 0 && actual != requestedThreads)
            notes.Add($"threads: the compute pool had already started with {actual} threads in this process; {requestedThreads} was not applied.");
        return actual;
    }

    /// <summary>
    /// On resume the checkpoint decides the model's shape; an option that says otherwise would be recorded in
    /// options.json and trainer_state.json while the run kept the old shape, so it is refused instead.
    /// </summary>
    /// <exception cref="TrainingOptionsException">A shape option contradicts the checkpoint.</exception>
    private static void RequireSameShape(TrainingOptions options, GptConfig checkpoint, string lastDir)
    {
        GptConfig asked = options.InitFrom is null
            ? options.ModelConfig(checkpoint.VocabSize)
            : checkpoint with
            {
                LayerCount = options.Layers ?? checkpoint.LayerCount,
                HeadCount = options.Heads ?? checkpoint.HeadCount,
                EmbeddingSize = options.EmbeddingSize ?? checkpoint.EmbeddingSize,
                ContextLength = options.ContextLength ?? checkpoint.ContextLength,
            };
        var differences = new List<string>();
        if (asked.LayerCount != checkpoint.LayerCount) differences.Add($"--n-layer {asked.LayerCount} (checkpoint: {checkpoint.LayerCount})");
        if (asked.HeadCount != checkpoint.HeadCount) differences.Add($"--n-head {asked.HeadCount} (checkpoint: {checkpoint.HeadCount})");
        if (asked.EmbeddingSize != checkpoint.EmbeddingSize) differences.Add($"--n-embd {asked.EmbeddingSize} (checkpoint: {checkpoint.EmbeddingSize})");
        if (asked.ContextLength != checkpoint.ContextLength) differences.Add($"--n-ctx {asked.ContextLength} (checkpoint: {checkpoint.ContextLength})");
        if (differences.Count > 0)
            throw new TrainingOptionsException(
                $"--resume continues the model in '{lastDir}', whose shape is fixed; these options contradict it: {string.Join(", ", differences)}. " +
                "Drop them, or start a new run in another --out (use --init-from to start from this model).", isUsage: true);
    }

    /// <summary>
    /// Refuses a shape that cannot fit before a byte of it is allocated: otherwise the kernel kills the process minutes
    /// later with nothing said. The budget is <see cref="MemoryBudget"/>'s.
    /// </summary>
    /// <exception cref="TrainingOptionsException">The model, batch and sequence need more memory than the machine has.</exception>
    private static void RequireMemory(GptConfig config, int batchSize, int sequenceLength)
    {
        long needed = GptModel.EstimateTrainingBytes(config, batchSize, sequenceLength);
        if (!MemoryBudget.Fits(needed))
            throw new TrainingOptionsException(
                $"training this model at batch {batchSize} × sequence {sequenceLength} needs about {MemoryBudget.Gibibytes(needed)} " +
                $"({MemoryBudget.Gibibytes(16 * config.ParameterCount)} for {config.ParameterCount:N0} parameters with gradients and AdamW moments, the rest activations), " +
                $"and this machine has {MemoryBudget.Gibibytes(MemoryBudget.Available)} available; use a smaller --batch-size (with --grad-accum to keep the tokens per step), --seq-len or model.");
    }

    private sealed class RunState
    {
        public int Step;
        public long TokensSeen;
        public double TrainLoss;
        public double? ValLoss;
        public double? BestValLoss;
        public int? BestStep;
        public int EvalsWithoutImprovement;
    }
}
