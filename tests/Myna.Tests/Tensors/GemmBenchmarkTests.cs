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

    [Fact]
    public void IsaOfThisProcessRunsInProcessAndNamesTheTier()
    {
        // Without the peer, asking for the tier this process already runs needs no child.
        string tier = SimdTiers.Name(SimdTiers.Current);
        Assert.Null(GemmBenchmark.RelaunchEnvironment(SimdTiers.Current, withOpenBlas: false));
        var output = new StringWriter();
        int code = MynaApp.Run(
            ["bench", "gemm", "--json", "--isa", tier, "--shapes", "8,8,8", "--threads", "1", "--layouts", "NN", "--repeat", "1", "--warmup", "0", "--no-openblas"],
            output, new StringWriter());

        Assert.Equal(MynaApp.Success, code);
        using JsonDocument json = JsonDocument.Parse(output.ToString());
        Assert.Equal(tier, json.RootElement.GetProperty("myna_isa").GetString());
        Assert.Equal(Myna.Tensors.Gemm.KernelDescription, json.RootElement.GetProperty("myna_kernel").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("openblas_core").ValueKind);
    }

    [Fact]
    public void UnknownIsaIsAUsageError()
    {
        var error = new StringWriter();
        int code = MynaApp.Run(["bench", "gemm", "--isa", "sse9", "--no-openblas"], new StringWriter(), error);
        Assert.Equal(MynaApp.UsageError, code);
        Assert.Contains("avx2", error.ToString());
    }

    [Fact]
    public void OpenBlasIsForcedToTheKernelsOfTheSameInstructions()
    {
        Assert.Equal("SkylakeX", OpenBlasPeer.CoreTypeFor(SimdTier.Avx512));
        Assert.Equal("Haswell", OpenBlasPeer.CoreTypeFor(SimdTier.Avx2));
        Assert.Equal("Nehalem", OpenBlasPeer.CoreTypeFor(SimdTier.Portable));
        IReadOnlyDictionary<string, string?> environment = OpenBlasPeer.EnvironmentFor(SimdTier.Avx2);
        Assert.Equal("Haswell", environment[OpenBlasPeer.CoreTypeVariable]);
        // A preset L2 size would skew the forced kernel's blocking: it is removed with the core type.
        Assert.True(environment.ContainsKey(OpenBlasPeer.L2SizeVariable));
        Assert.Null(environment[OpenBlasPeer.L2SizeVariable]);
    }

    [Fact]
    public async Task IsaBelowThisMachineRerunsBothEnginesAtThatTier()
    {
        // The lowest tier below this machine's best: a child process with the higher instruction sets off, and
        // OpenBLAS (when installed) forced to its matching kernels before it loads.
        SimdTier lower = SimdTiers.Supported[0];
        if (lower == SimdTiers.Current) return; // a portable-only machine has no lower tier to rerun at
        string tier = SimdTiers.Name(lower);
        var start = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (string arg in new[] { typeof(MynaApp).Assembly.Location, "bench", "gemm", "--json", "--isa", tier,
            "--shapes", "16,16,16", "--threads", "1", "--layouts", "NT", "--repeat", "1", "--warmup", "0" })
            start.ArgumentList.Add(arg);
        using var child = System.Diagnostics.Process.Start(start)!;
        Task<string> error = child.StandardError.ReadToEndAsync();
        string output = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();

        Assert.True(child.ExitCode == 0, await error);
        using JsonDocument json = JsonDocument.Parse(output);
        Assert.Equal(tier, json.RootElement.GetProperty("myna_isa").GetString());
        if (json.RootElement.GetProperty("openblas").ValueKind != JsonValueKind.Null)
            Assert.Equal(OpenBlasPeer.CoreTypeFor(lower), json.RootElement.GetProperty("openblas_core").GetString());
    }
}
