using Myna.Training;

namespace Myna.Tests.Training;

public class NearestNameTests
{
    [Theory]
    [InlineData("train", "train", 0)]
    [InlineData("tarin", "train", 1)] // neighbours swapped: one edit
    [InlineData("--lrr", "--lr", 1)]
    [InlineData("batch_sise", "batch_size", 1)]
    [InlineData("", "abc", 3)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("ca", "abc", 3)] // optimal string alignment: a swapped pair is not edited again
    public void DistanceCountsInsertionsDeletionsSubstitutionsAndSwaps(string a, string b, int expected)
    {
        Assert.Equal(expected, NearestName.Distance(a, b));
        Assert.Equal(expected, NearestName.Distance(b, a));
    }

    [Fact]
    public void FindsTheClosestLikelyTypoOnly()
    {
        string[] flags = ["--lr", "--min-lr", "--max-steps", "--max-tokens", "--seed", "--seq-len"];
        Assert.Equal("--max-steps", NearestName.Find("--max-step", flags));
        Assert.Equal("--seq-len", NearestName.Find("--SEQ-LEN", flags));
        Assert.Equal("--lr", NearestName.Find("--lrr", flags));
        Assert.Null(NearestName.Find("--temperature", flags)); // nothing within a third of its length
        Assert.Null(NearestName.Find("x", []));
    }
}
