using Myna.Tests.Text;
using Myna.Training;

namespace Myna.Tests.Training;

public class DataLoaderTests
{
    [Fact]
    public void SequentialWindowsFollowTheStreamAcrossShardFiles()
    {
        using var dir = new TempFolder();
        SyntheticShards data = SyntheticShards.Create(dir.Path, trainTokens: 1_001, valTokens: 100);
        using TrainingData opened = TrainingData.Open(dir.Path);
        var loader = new TokenWindowLoader(opened.Train, 10, DataOrder.Sequential, seed: 1);
        Assert.Equal(100, loader.WindowCount);
        var inputs = new int[30];
        var targets = new int[30];
        for (int batch = 0; batch < 17; batch++) loader.NextBatch(inputs, targets); // windows 0..50: crosses the file boundary at 500
        Assert.Equal(data.TrainTokens.AsSpan(480, 30).ToArray(), inputs);
        Assert.Equal(data.TrainTokens.AsSpan(481, 9).ToArray(), targets.AsSpan(0, 9).ToArray());
        Assert.Equal(new LoaderPosition(0, 51), loader.Position);
    }

    [Fact]
    public void RandomOrderIsAPermutationPerEpochAndResumesFromAPosition()
    {
        using var dir = new TempFolder();
        SyntheticShards.Create(dir.Path, trainTokens: 801, valTokens: 100);
        using TrainingData opened = TrainingData.Open(dir.Path);
        List<int> Firsts(TokenWindowLoader loader, int count)
        {
            var inputs = new int[8];
            var targets = new int[8];
            var firsts = new List<int>();
            for (int i = 0; i < count; i++)
            {
                loader.NextBatch(inputs, targets);
                firsts.Add(inputs[0]);
            }
            return firsts;
        }
        var a = new TokenWindowLoader(opened.Train, 8, DataOrder.Random, seed: 3);
        List<int> run = Firsts(a, 250); // 100 windows per epoch: two and a half epochs
        var b = new TokenWindowLoader(opened.Train, 8, DataOrder.Random, seed: 3) { Position = new LoaderPosition(1, 37) };
        Assert.Equal(run.Skip(137), Firsts(b, 113));
        var other = new TokenWindowLoader(opened.Train, 8, DataOrder.Random, seed: 4);
        Assert.NotEqual(run, Firsts(other, 250));
        Assert.NotEqual(run.Take(100), run.Skip(100).Take(100)); // each epoch its own order
    }

    [Fact]
    public void TooFewTokensForOneWindowIsRefused()
    {
        using var dir = new TempFolder();
        SyntheticShards.Create(dir.Path, trainTokens: 20, valTokens: 10);
        using TrainingData opened = TrainingData.Open(dir.Path);
        var ex = Assert.Throws<TrainingOptionsException>(() => new TokenWindowLoader(opened.Train, 32, DataOrder.Random, 1));
        Assert.Contains("--seq-len", ex.Message);
    }

    [Fact]
    public void ScheduleWarmsUpThenFollowsTheCosineToTheFloor()
    {
        var schedule = new LearningRateSchedule(1.0, 0.1, warmupSteps: 10, decaySteps: 110);
        Assert.Equal(0.1, schedule.At(0), 12);
        Assert.Equal(1.0, schedule.At(9), 12);
        Assert.Equal(1.0, schedule.At(10), 12);
        Assert.Equal(0.55, schedule.At(60), 12);
        Assert.Equal(0.1, schedule.At(110), 12);
        Assert.Equal(0.1, schedule.At(500), 12);
    }
}
