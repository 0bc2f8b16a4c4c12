using System.Diagnostics;
using Myna.Cli;
using Myna.Tests.Cli;
using Myna.Tests.Text;
using Myna.Training;

namespace Myna.Tests.Training;

public class ResumeTests
{
    [Fact]
    public void StoppedAndResumedRunMatchesAnUninterruptedOneBitForBit()
    {
        using var dir = new TempFolder();
        SyntheticShards data = SyntheticShards.Create(Path.Combine(dir.Path, "shards"));
        string straight = Path.Combine(dir.Path, "straight"), split = Path.Combine(dir.Path, "split");

        TrainingResult reference = new Trainer(TrainingFixtures.Micro(data.Directory, straight)).Run();

        // Stop after step 5 (between checkpoints, as Ctrl+C does), then resume to the end.
        using var stop = new CancellationTokenSource();
        TrainingResult first = new Trainer(TrainingFixtures.Micro(data.Directory, split), p =>
        {
            if (p.Kind == "train" && p.Step == 5) stop.Cancel();
        }).Run(cancellation: stop.Token);
        Assert.Equal("interrupted", first.StopReason);
        Assert.Equal(5, first.Step);
        TrainingResult resumed = new Trainer(Trainer.SavedOptions(split)).Run(resume: true);

        Assert.Equal(12, resumed.Step);
        Assert.Equal(TrainingFixtures.TrainLosses(straight), TrainingFixtures.TrainLosses(split));
        Assert.Equal(TrainingFixtures.ValLosses(straight), TrainingFixtures.ValLosses(split));
        Assert.Equal(reference.TrainLoss, resumed.TrainLoss);
        Assert.Equal(
            File.ReadAllBytes(Path.Combine(reference.Checkpoint, "model.safetensors")),
            File.ReadAllBytes(Path.Combine(resumed.Checkpoint, "model.safetensors")));
        Assert.Equal(
            File.ReadAllBytes(Path.Combine(reference.Checkpoint, TrainingCheckpoint.OptimizerFileName)),
            File.ReadAllBytes(Path.Combine(resumed.Checkpoint, TrainingCheckpoint.OptimizerFileName)));
    }

    [Fact]
    public void ResumeRefusesShapeOptionsThatContradictTheCheckpointAndWritesNothing()
    {
        using var dir = new TempFolder();
        SyntheticShards data = SyntheticShards.Create(Path.Combine(dir.Path, "shards"));
        string run = Path.Combine(dir.Path, "run");
        new Trainer(TrainingFixtures.Micro(data.Directory, run) with { MaxSteps = 4 }).Run();
        string optionsJson = File.ReadAllText(Path.Combine(run, "options.json"));

        var refused = Assert.Throws<TrainingOptionsException>(() =>
            new Trainer(Trainer.SavedOptions(run) with { EmbeddingSize = 64, MaxSteps = 8 }).Run(resume: true));
        Assert.Contains("--n-embd 64 (checkpoint: 32)", refused.Message);
        Assert.True(refused.IsUsage);
        Assert.Equal(optionsJson, File.ReadAllText(Path.Combine(run, "options.json")));

        // The same options with the checkpoint's shape continue.
        Assert.Equal(8, new Trainer(Trainer.SavedOptions(run) with { MaxSteps = 8 }).Run(resume: true).Step);
    }

    [Fact]
    public void ResumeStatesAScheduleChangeAndRefusesToGoBack()
    {
        using var dir = new TempFolder();
        SyntheticShards data = SyntheticShards.Create(Path.Combine(dir.Path, "shards"));
        string run = Path.Combine(dir.Path, "run");
        new Trainer(TrainingFixtures.Micro(data.Directory, run) with { MaxSteps = 8 }).Run();

        var back = Assert.Throws<TrainingOptionsException>(() => new Trainer(Trainer.SavedOptions(run) with { MaxSteps = 6 }).Run(resume: true));
        Assert.Contains("--max-steps 6 is below the checkpoint's step 8", back.Message);
        Assert.True(back.IsUsage);

        // The run ended at the floor (1e-3); twice the steps put step 8 back on the cosine.
        var notes = new List<string>();
        TrainingResult longer = new Trainer(Trainer.SavedOptions(run) with { MaxSteps = 16 }, p => { if (p.Kind == "note") notes.Add(p.Message!); }).Run(resume: true);
        string rate = new LearningRateSchedule(1e-2, 1e-3, 3, 16).At(8).ToString("0.###e+0", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal($"schedule changed on resume (--max-steps 8 → 16): the learning rate at step 8 goes from 1e-3 to {rate}.", Assert.Single(notes));
        Assert.Contains(notes[0], longer.Notes);
        Assert.Equal(16, longer.Step);

        // The same schedule says nothing; the command line prints the note before the run.
        CliRun same = CliRun.Of("train", "--out", run, "--resume", "--max-steps", "16");
        Assert.True(same.ExitCode == MynaApp.Success, same.Error);
        Assert.DoesNotContain("schedule changed", same.Output);
        CliRun lr = CliRun.Of("train", "--out", run, "--resume", "--max-steps", "17", "--lr", "0.02");
        Assert.True(lr.ExitCode == MynaApp.Success, lr.Error);
        Assert.StartsWith("note: schedule changed on resume (--max-steps 16 → 17, --lr 0.01 → 0.02): the learning rate at step 16 goes from 1e-3 to ", lr.Output);
    }

    [Fact]
    public void RunsRecordedWithTheOldSnakeCaseKeysResume()
    {
        using var dir = new TempFolder();
        SyntheticShards data = SyntheticShards.Create(Path.Combine(dir.Path, "shards"));
        string run = Path.Combine(dir.Path, "run");
        new Trainer(TrainingFixtures.Micro(data.Directory, run) with { MaxSteps = 4 }).Run();
        // trainer_state.json as earlier versions wrote it: snake_case keys, and no context (the preset's was meant).
        string statePath = Path.Combine(run, CheckpointStore.LastName, TrainingCheckpoint.StateFileName);
        var state = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(statePath))!;
        string dataJson = System.Text.Json.JsonSerializer.Serialize(data.Directory), outJson = System.Text.Json.JsonSerializer.Serialize(run);
        state["options"] = System.Text.Json.Nodes.JsonNode.Parse($$"""
            {"data": {{dataJson}}, "out": {{outJson}}, "preset": "tiny", "layers": 1, "heads": 2, "embedding_size": 32, "context_length": null,
             "init_from": null, "tokenizer": null, "batch_size": 4, "sequence_length": 16, "gradient_accumulation_steps": 1, "learning_rate": 0.01,
             "min_learning_rate": 0.001, "warmup_steps": 3, "decay_steps": null, "weight_decay": 0.1, "beta1": 0.9, "beta2": 0.95, "epsilon": 1e-08,
             "grad_clip": 1, "max_steps": 4, "max_tokens": null, "eval_interval": 4, "eval_batches": 2, "checkpoint_interval": 4,
             "early_stopping_patience": 0, "log_interval": 1, "data_order": "random", "seed": 11, "threads": 0}
            """);
        File.WriteAllText(statePath, state.ToJsonString());

        TrainingOptions saved = Trainer.SavedOptions(run);
        Assert.Equal(TrainingFixtures.Micro(data.Directory, run) with { MaxSteps = 4 }, saved); // context 32 read from the checkpoint
        Assert.Equal(8, new Trainer(saved with { MaxSteps = 8 }).Run(resume: true).Step);
    }

    [Fact]
    public void ResumeWithDropoutDrawsTheMasksAnUninterruptedRunDraws()
    {
        using var dir = new TempFolder();
        SyntheticShards data = SyntheticShards.Create(Path.Combine(dir.Path, "shards"));
        TrainingOptions Options(string o) => TrainingFixtures.Micro(data.Directory, o) with { Dropout = 0.2, GradientAccumulationSteps = 2 };
        string straight = Path.Combine(dir.Path, "straight"), split = Path.Combine(dir.Path, "split"), plain = Path.Combine(dir.Path, "plain");
        TrainingResult reference = new Trainer(Options(straight)).Run();
        new Trainer(Options(plain) with { Dropout = 0 }).Run();
        using var stop = new CancellationTokenSource();
        new Trainer(Options(split), p => { if (p.Kind == "train" && p.Step == 5) stop.Cancel(); }).Run(cancellation: stop.Token);
        TrainingResult resumed = new Trainer(Trainer.SavedOptions(split)).Run(resume: true);

        Assert.Equal(TrainingFixtures.TrainLosses(straight), TrainingFixtures.TrainLosses(split));
        Assert.Equal(TrainingFixtures.ValLosses(straight), TrainingFixtures.ValLosses(split));
        Assert.Equal(
            File.ReadAllBytes(Path.Combine(reference.Checkpoint, "model.safetensors")),
            File.ReadAllBytes(Path.Combine(resumed.Checkpoint, "model.safetensors")));
        // Dropout really ran: the training losses differ from the same run without it from the first step on.
        Assert.NotEqual(TrainingFixtures.TrainLosses(plain)[0], TrainingFixtures.TrainLosses(straight)[0]);
        Assert.Contains("\"dropout\": 0.2", File.ReadAllText(Path.Combine(split, "options.json")));
    }

    [Fact]
    public void ResumeWithGradientAccumulationAndSequentialDataIsExactToo()
    {
        using var dir = new TempFolder();
        SyntheticShards data = SyntheticShards.Create(Path.Combine(dir.Path, "shards"), trainTokens: 3_000);
        TrainingOptions Options(string o) => TrainingFixtures.Micro(data.Directory, o) with
        {
            GradientAccumulationSteps = 2, DataOrder = DataOrder.Sequential, MaxSteps = 30, EvalInterval = 10, CheckpointInterval = 7,
        };
        string straight = Path.Combine(dir.Path, "a"), split = Path.Combine(dir.Path, "b");
        new Trainer(Options(straight)).Run();
        using var stop = new CancellationTokenSource();
        // 3,000 tokens make 187 windows of 16; a step takes 2 × 4 of them, so the second epoch starts during step 24:
        // the resumed half crosses an epoch boundary.
        new Trainer(Options(split), p => { if (p.Kind == "train" && p.Step == 17) stop.Cancel(); }).Run(cancellation: stop.Token);
        new Trainer(Options(split)).Run(resume: true);
        Assert.Equal(TrainingFixtures.TrainLosses(straight), TrainingFixtures.TrainLosses(split));
        Assert.Equal(TrainingFixtures.ValLosses(straight), TrainingFixtures.ValLosses(split));
    }

    [Fact]
    public void HardKilledTrainProcessResumesToTheSameTrajectory()
    {
        using var dir = new TempFolder();
        SyntheticShards data = SyntheticShards.Create(Path.Combine(dir.Path, "shards"));
        string straight = Path.Combine(dir.Path, "straight"), killed = Path.Combine(dir.Path, "killed");
        TrainingOptions options = TrainingFixtures.Micro(data.Directory, straight) with { MaxSteps = 80, CheckpointInterval = 3, EvalInterval = 20 };
        new Trainer(options).Run();

        string config = Path.Combine(dir.Path, "config.json");
        File.WriteAllText(config, (options with { Out = killed }).ToJson());
        using (Process child = StartMyna(new System.Text.StringBuilder(), "train", "--config", config))
        {
            // Kill as soon as the first checkpoint is there and training goes on: mid-run, maybe mid-save.
            WaitForCheckpoint(child, killed);
            Thread.Sleep(10);
            Assert.False(child.HasExited, "the child finished before it could be killed; make the run longer");
            child.Kill(entireProcessTree: true);
            child.WaitForExit();
        }
        TrainerState state = TrainingCheckpoint.ReadState(CheckpointStore.Recover(killed, CheckpointStore.LastName)!);
        Assert.InRange(state.Step, 3, 79);

        CliRun resumed = CliRun.Of("train", "--out", killed, "--resume", "--json");
        Assert.True(resumed.ExitCode == MynaApp.Success, resumed.Error);
        Assert.Equal(TrainingFixtures.TrainLosses(straight), TrainingFixtures.TrainLosses(killed));
        Assert.Equal(TrainingFixtures.ValLosses(straight), TrainingFixtures.ValLosses(killed));
    }

    [Fact]
    public void InterruptSignalSavesACheckpointAndExits130()
    {
        using var dir = new TempFolder();
        SyntheticShards data = SyntheticShards.Create(Path.Combine(dir.Path, "shards"));
        string run = Path.Combine(dir.Path, "run");
        string config = Path.Combine(dir.Path, "config.json");
        File.WriteAllText(config, (TrainingFixtures.Micro(data.Directory, run) with { MaxSteps = 100_000, CheckpointInterval = 2, EvalInterval = 0 }).ToJson());
        var output = new System.Text.StringBuilder();
        using Process child = StartMyna(output, "train", "--config", config);
        WaitForCheckpoint(child, run);
        using (Process signal = Process.Start("kill", ["-INT", child.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            signal.WaitForExit();
        Assert.True(child.WaitForExit(60_000), "the trainer did not stop after SIGINT");
        child.WaitForExit(); // drains the asynchronous readers
        string stdout;
        lock (output) stdout = output.ToString();
        Assert.Equal(FailureReport.Cancelled, child.ExitCode); // saved, but not finished: 130, as shells report Ctrl+C
        Assert.Contains("interrupted at step", stdout);
        Assert.Contains("--resume", stdout);
        TrainerState state = TrainingCheckpoint.ReadState(Path.Combine(run, CheckpointStore.LastName));
        Assert.Equal(state.Step, TrainingFixtures.TrainLosses(run)[^1].Step); // the checkpoint is the last step run, not an older one
    }

    /// <summary>Starts `dotnet myna.dll ARGS`, collecting stdout (and draining stderr) as it comes so the child never blocks on a full pipe.</summary>
    private static Process StartMyna(System.Text.StringBuilder output, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(MynaDll());
        foreach (string arg in args) start.ArgumentList.Add(arg);
        // Bit-exact comparisons need the thread count of this process (another test may have MYNA_THREADS set for a moment).
        start.Environment["MYNA_THREADS"] = Myna.Tensors.ComputePool.Shared.ThreadCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Myna.Tests.Cli.ChildSignals.RestoreInterrupt(start); // one test interrupts it
        var child = new Process { StartInfo = start };
        child.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        child.ErrorDataReceived += (_, _) => { };
        child.Start();
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
        return child;
    }

    private static void WaitForCheckpoint(Process child, string run)
    {
        var clock = Stopwatch.StartNew();
        while (!File.Exists(Path.Combine(run, CheckpointStore.LastName, TrainingCheckpoint.StateFileName)) && !child.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60))
            Thread.Sleep(5);
    }

    /// <summary>The myna command next to the test assembly (a referenced project), run with `dotnet`.</summary>
    private static string MynaDll()
    {
        string path = typeof(MynaApp).Assembly.Location;
        Assert.True(File.Exists(Path.ChangeExtension(path, ".runtimeconfig.json")), $"no runtimeconfig beside {path}");
        return path;
    }
}
