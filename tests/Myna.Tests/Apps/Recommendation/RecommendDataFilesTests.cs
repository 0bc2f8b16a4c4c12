using Myna.Apps.Recommendation;

namespace Myna.Tests.Apps.Recommendation;

public sealed class RecommendDataFilesTests : IDisposable
{
    private readonly string _cache = Directory.CreateTempSubdirectory("myna-recommend-cache-").FullName;

    public void Dispose() => Directory.Delete(_cache, recursive: true);

    /// <summary>A cached model folder with recommender.json written at <paramref name="trained"/>, and transitions.json when <paramref name="hybrid"/>.</summary>
    private string Folder(string name, DateTime trained, bool hybrid)
    {
        string folder = Directory.CreateDirectory(Path.Combine(_cache, name)).FullName;
        string info = Path.Combine(folder, SequenceModelInfo.FileName);
        File.WriteAllText(info, "{}");
        File.SetLastWriteTimeUtc(info, trained);
        if (hybrid) File.WriteAllText(Path.Combine(folder, TransitionTable.FileName), "{}");
        return folder;
    }

    [Fact]
    public void The_newest_hybrid_folder_is_served_before_any_folder_of_the_model_alone()
    {
        Assert.Null(RecommendDataFiles.FindCachedModel(_cache));
        Assert.Null(RecommendDataFiles.FindCachedModel(Path.Combine(_cache, "absent")));
        var day = new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc);
        string oldAlone = Folder("model-a", day, hybrid: false);
        Assert.Equal(oldAlone, RecommendDataFiles.FindCachedModel(_cache)); // a folder of the model alone still serves when it is all there is
        string olderHybrid = Folder("model-b", day.AddDays(1), hybrid: true);
        string newerHybrid = Folder("model-c", day.AddDays(2), hybrid: true);
        Folder("model-d", day.AddDays(3), hybrid: false); // newest, but trained before the hybrid existed
        Directory.CreateDirectory(Path.Combine(_cache, "model-e")); // no recommender.json: not a model folder
        Directory.CreateDirectory(Path.Combine(_cache, ".model-f.tmp"));
        Assert.Equal(newerHybrid, RecommendDataFiles.FindCachedModel(_cache));
        Assert.NotEqual(olderHybrid, newerHybrid);
    }
}
