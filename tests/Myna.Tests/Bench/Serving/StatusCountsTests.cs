using Myna.Bench.Serving;

namespace Myna.Tests.Bench.Serving;

/// <summary>Counting answers by HTTP status, and the overload run's "only 200 and 429" rule.</summary>
public class StatusCountsTests
{
    [Fact]
    public void CountsEachStatusInOrder()
    {
        StatusCounts counts = StatusCounts.Of([429, 200, 429, 0, 200, 429]);

        Assert.Equal(2, counts[200]);
        Assert.Equal(3, counts[429]);
        Assert.Equal(1, counts[0]);
        Assert.Equal(0, counts[500]);
        Assert.Equal(6, counts.Total);
        Assert.Equal(["0", "200", "429"], counts.ToDictionary().Keys);
        Assert.Equal("0×1 200×2 429×3", counts.ToString());
    }

    [Fact]
    public void OnlyContainsRejectsAnyOtherStatus()
    {
        Assert.True(StatusCounts.Of([200, 429, 429]).OnlyContains(200, 429));
        Assert.True(StatusCounts.Of([]).OnlyContains(200, 429));
        Assert.False(StatusCounts.Of([200, 429, 503]).OnlyContains(200, 429));
        // No answer at all (a dropped connection) is not allowed either.
        Assert.False(StatusCounts.Of([200, 0]).OnlyContains(200, 429));
    }

    [Fact]
    public void OverloadAllowsOnly200And429WithNoLostStream()
    {
        Assert.True(OverloadResult.Of(Summary(new() { ["200"] = 16, ["429"] = 48 }, lost: 0)).OnlyOkAndTooManyRequests);
        Assert.False(OverloadResult.Of(Summary(new() { ["200"] = 16, ["500"] = 1 }, lost: 0)).OnlyOkAndTooManyRequests);
        Assert.False(OverloadResult.Of(Summary(new() { ["200"] = 16, ["429"] = 48 }, lost: 1)).OnlyOkAndTooManyRequests);
    }

    private static LoadRunSummary Summary(Dictionary<string, int> statuses, int lost) => new()
    {
        Concurrency = 64, Parallel = 8, MaxQueue = 8, Requests = statuses.Values.Sum(), Completed = 0, Rejected = 0, Errors = 0, Lost = lost,
        Statuses = statuses, DurationSeconds = 1, RequestsPerSecond = 0, OutputTokensPerSecond = 0,
    };
}
