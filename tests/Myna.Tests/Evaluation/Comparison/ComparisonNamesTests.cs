using Myna.Evaluation.Comparison;

namespace Myna.Tests.Evaluation.Comparison;

public class ComparisonNamesTests
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "myna-names");

    private static string P(string relative) => Path.Combine(Root, relative);

    [Fact]
    public void EachModelGetsTheFewestTrailingSegmentsThatTellItApart()
    {
        Assert.Equal(["a/best", "b/best", "myna-default"], ComparisonNames.Distinguish([P("runs/a/best"), P("runs/b/best"), P("models/myna-default")]));
        Assert.Equal(["x/run/best", "y/run/best"], ComparisonNames.Distinguish([P("x/run/best"), P("y/run/best")]));
        Assert.Equal(["best"], ComparisonNames.Distinguish([P("runs/a/best/")]));
        // Different spellings of one folder are the same folder; repeats are numbered.
        Assert.Equal(["best", "best (2)"], ComparisonNames.Distinguish([P("runs/best"), P("runs/./best")]));
    }
}
