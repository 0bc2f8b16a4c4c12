using System.Text.Json;
using Myna.Bench.Gemm;
using Myna.Cli;
using Myna.Tensors;

namespace Myna.Tests.Tensors;

/// <summary>The GEMM benchmark and <c>myna bench gemm</c>, on tiny shapes (OpenBLAS optional, never required).</summary>
public class GemmBenchmarkTests
{
    [Fact]
    public void ReportsOneResultPerShapeLayoutAndThreadCount()
    {
        var options = new GemmBenchOptions
        {
            Shapes = [new GemmShape(8, 24, 16), new GemmShape(37, 41, 43)],
            Layouts = [GemmLayout.NN, GemmLayout.TN],
            ThreadCounts = [1, 2],
            Repeat = 2,
            Warmup = 0,
        };
        var progress = new StringWriter();

        GemmBenchReport report = new GemmBenchmark(options).Run(progress);

        Assert.Equal(8, report.Results.Count);
        Assert.All(report.Results, r => Assert.True(r.GflopsBest >= r.GflopsMedian && r.GflopsMedian > 0));
        Assert.Contains("GFLOP/s", progress.ToString());
    }

    [Fact]
    public void JsonCommandPrintsOnlyTheDocumentedObject()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        int code = MynaApp.Run(
            ["bench", "gemm", "--json", "--shapes", "8,8,8", "--threads", "1", "--layouts", "NT", "--repeat", "1", "--warmup", "0", "--no-openblas"],
            output, error);

        Assert.Equal(MynaApp.Success, code);
        using JsonDocument json = JsonDocument.Parse(output.ToString());
        JsonElement result = Assert.Single(json.RootElement.GetProperty("results").EnumerateArray());
        Assert.Equal(8, result.GetProperty("m").GetInt32());
        Assert.Equal("NT", result.GetProperty("layout").GetString());
        Assert.Equal(1, result.GetProperty("threads").GetInt32());
        Assert.True(result.GetProperty("gflops_best").GetDouble() > 0);
        Assert.True(result.GetProperty("gflops_median").GetDouble() > 0);
        Assert.Equal(JsonValueKind.Null, result.GetProperty("openblas_gflops_best").ValueKind);
        Assert.True(json.RootElement.TryGetProperty("peak_gflops_per_core", out _));
    }

    [Fact]
    public void BadShapeIsAUsageError()
    {
        var error = new StringWriter();
        int code = MynaApp.Run(["bench", "gemm", "--shapes", "8,8", "--no-openblas"], new StringWriter(), error);
        Assert.Equal(MynaApp.UsageError, code);
        Assert.Contains("M,N,K", error.ToString());
    }

    [Fact]
    public void TableOutputNamesThePeakComputation()
    {
        var output = new StringWriter();
        int code = MynaApp.Run(
            ["bench", "gemm", "--shapes", "8,8,8", "--threads", "1", "--layouts", "NN", "--repeat", "1", "--warmup", "0"],
            output, new StringWriter());
        Assert.Equal(MynaApp.Success, code);
        Assert.Contains("flop/cycle", output.ToString());
    }
}
