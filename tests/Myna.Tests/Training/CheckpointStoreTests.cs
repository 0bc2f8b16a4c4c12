using Myna.Generation;
using Myna.Models.Checkpoints;
using Myna.Tests.Text;
using Myna.Training;

namespace Myna.Tests.Training;

public class CheckpointStoreTests
{
    [Fact]
    public void AFailedSaveLeavesThePreviousCheckpointLoadable()
    {
        using var dir = new TempFolder();
        SyntheticShards data = SyntheticShards.Create(Path.Combine(dir.Path, "shards"));
        string run = Path.Combine(dir.Path, "run");
        new Trainer(TrainingFixtures.Micro(data.Directory, run) with { MaxSteps = 4 }).Run();
        string last = Path.Combine(run, CheckpointStore.LastName);
        byte[] weights = File.ReadAllBytes(Path.Combine(last, GptCheckpoint.WeightsFileName));

        // A save that dies half-way: one file written over, the next one fails.
        Assert.Throws<IOException>(() => CheckpointStore.Commit(run, CheckpointStore.LastName, staging =>
        {
            File.WriteAllText(Path.Combine(staging, GptCheckpoint.WeightsFileName), "half a file");
            throw new IOException("disk full");
        }));

        Assert.Equal(weights, File.ReadAllBytes(Path.Combine(last, GptCheckpoint.WeightsFileName)));
        Assert.Equal(4, TrainingCheckpoint.ReadState(last).Step);
        Assert.NotNull(GptLanguageModel.FromPretrained(last));
        Assert.Equal([last], Directory.GetDirectories(run).Where(d => Path.GetFileName(d).Contains(CheckpointStore.LastName)).ToArray());
    }

    [Fact]
    public void ACrashBetweenTheTwoRenamesIsRepairedAndResumable()
    {
        using var dir = new TempFolder();
        SyntheticShards data = SyntheticShards.Create(Path.Combine(dir.Path, "shards"));
        string run = Path.Combine(dir.Path, "run");
        TrainingOptions options = TrainingFixtures.Micro(data.Directory, run) with { MaxSteps = 4 };
        new Trainer(options).Run();
        string last = Path.Combine(run, CheckpointStore.LastName);

        // The state a kill leaves after "old aside" and before "new in place": no last/, the old one aside, a staging folder.
        Directory.Move(last, Path.Combine(run, ".last.old"));
        Directory.CreateDirectory(Path.Combine(run, ".last.tmp-1-abc"));
        File.WriteAllText(Path.Combine(run, ".last.tmp-1-abc", GptCheckpoint.WeightsFileName), "partial");

        TrainingResult resumed = new Trainer(options with { MaxSteps = 6 }).Run(resume: true);

        Assert.Equal(6, resumed.Step);
        Assert.False(Directory.Exists(Path.Combine(run, ".last.old")));
        Assert.False(Directory.Exists(Path.Combine(run, ".last.tmp-1-abc")));
        Assert.Equal([1, 2, 3, 4, 5, 6], TrainingFixtures.TrainLosses(run).Select(r => r.Step));
    }

    [Fact]
    public void ANewRunRefusesToOverwriteACheckpoint()
    {
        using var dir = new TempFolder();
        SyntheticShards data = SyntheticShards.Create(Path.Combine(dir.Path, "shards"));
        string run = Path.Combine(dir.Path, "run");
        new Trainer(TrainingFixtures.Micro(data.Directory, run) with { MaxSteps = 1, WarmupSteps = 0 }).Run();
        var ex = Assert.Throws<TrainingOptionsException>(() => new Trainer(TrainingFixtures.Micro(data.Directory, run)).Run());
        Assert.Contains("--resume", ex.Message);
    }
}
