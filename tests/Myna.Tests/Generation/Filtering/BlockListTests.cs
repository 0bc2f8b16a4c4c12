using Myna.Generation.Filtering;

namespace Myna.Tests.Generation.Filtering;

public class BlockListTests
{
    [Fact]
    public void Lines_are_trimmed_and_blank_comment_and_repeated_lines_dropped() =>
        Assert.Equal(["secret plan", "Launch Code"], BlockList.Parse(["  secret plan ", "", "# a comment", "Launch Code", "SECRET PLAN", "   "]));
}
