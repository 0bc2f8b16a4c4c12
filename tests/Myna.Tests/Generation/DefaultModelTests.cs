using Myna.Generation;
using Myna.Models.Inference;

namespace Myna.Tests.Generation;

/// <summary>Finding the default model and naming precisions: the library helpers the CLI and the server share.</summary>
public sealed class DefaultModelTests
{
    [Fact]
    public void A_requested_directory_wins_and_the_repository_default_is_found_from_the_tests()
    {
        Assert.Equal("some/dir", DefaultModel.Resolve("some/dir"));
        // The tests run inside the repository, which holds models/myna-default (unless MYNA_DEFAULT_MODEL points elsewhere).
        string? found = DefaultModel.Find();
        Assert.NotNull(found);
        Assert.True(File.Exists(Path.Combine(found, "config.json")), found);
        Assert.Equal(found, DefaultModel.Resolve(null));
    }

    [Theory]
    [InlineData("f32", InferencePrecision.F32)]
    [InlineData("FP32", InferencePrecision.F32)]
    [InlineData("float16", InferencePrecision.F16)]
    [InlineData(" f16 ", InferencePrecision.F16)]
    [InlineData("q8_0", InferencePrecision.Int8)]
    [InlineData("INT8", InferencePrecision.Int8)]
    public void Precision_names_and_aliases_parse(string name, InferencePrecision precision) =>
        Assert.Equal(precision, InferencePrecisionNames.Parse(name));

    [Fact]
    public void Unknown_names_parse_to_null_and_every_precision_round_trips_its_name()
    {
        Assert.Null(InferencePrecisionNames.Parse("bf16"));
        Assert.Null(InferencePrecisionNames.Parse(null));
        foreach (InferencePrecision precision in Enum.GetValues<InferencePrecision>())
        {
            string name = InferencePrecisionNames.Name(precision);
            Assert.Contains(name, InferencePrecisionNames.Allowed);
            Assert.Equal(precision, InferencePrecisionNames.Parse(name));
        }
    }
}
