using System.Text.Json;
using Myna.Tests.Cli;

namespace Myna.Tests.Evaluation.Cli;

/// <summary><c>myna eval paired-bs</c> against sacreBLEU's own paired bootstrap results (Significance/PeerCases).</summary>
public class EvalPairedBootstrapCommandTests
{
    private static readonly Lazy<JsonDocument> Document = new(() => JsonDocument.Parse(File.ReadAllText(
        Path.Combine(AppContext.BaseDirectory, "Evaluation", "Significance", "PeerCases", "paired_bs_cases.json"))));

    private static string[] Lines(JsonElement array) => [.. array.EnumerateArray().Select(x => x.GetString()!)];

    // The reference file, then each system's file, baseline first.
    private static (string Ref, string[] Systems) Write(TempFiles files)
    {
        JsonElement root = Document.Value.RootElement;
        return (files.Lines(Lines(root.GetProperty("refs"))),
            [.. root.GetProperty("systems").EnumerateArray().Select(s => files.Lines(Lines(s.GetProperty("hyps"))))]);
    }

    [Fact]
    public void JsonMatchesSacreBleu()
    {
        using var files = new TempFiles();
        (string reference, string[] systems) = Write(files);
        CliRun run = CliRun.Of("eval", "paired-bs", "--ref", reference, "--baseline", systems[0], "--system", systems[1],
            "--system", systems[2], "--system", systems[3], "--metrics", "bleu,chrf,chrf++", "--json");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal("", run.Error);
        using JsonDocument json = JsonDocument.Parse(run.Output);
        JsonElement root = json.RootElement;
        Assert.Equal(1000, root.GetProperty("resamples").GetInt32());
        Assert.Equal(12345UL, root.GetProperty("seed").GetUInt64());
        JsonElement expected = Document.Value.RootElement.GetProperty("expected_one_ref");
        JsonElement[] rows = [.. root.GetProperty("systems").EnumerateArray()];
        Assert.Equal(4, rows.Length);
        Assert.Equal(systems, rows.Select(r => r.GetProperty("system").GetString()));
        Assert.Equal([true, false, false, false], rows.Select(r => r.GetProperty("baseline").GetBoolean()));
        foreach (JsonProperty metric in expected.EnumerateObject())
        {
            Assert.Equal(metric.Value.GetProperty("signature").GetString(), root.GetProperty("signatures").GetProperty(metric.Name).GetString());
            JsonElement[] want = [.. metric.Value.GetProperty("systems").EnumerateArray()];
            for (int i = 0; i < rows.Length; i++)
            {
                JsonElement got = rows[i].GetProperty(metric.Name);
                double tolerance = metric.Name == "BLEU" ? 1e-9 : 0; // see Significance/PeerCases/README.md
                foreach (string field in new[] { "score", "mean", "ci" })
                    Assert.Equal(want[i].GetProperty(field).GetDouble(), got.GetProperty(field).GetDouble(), tolerance);
                if (i == 0) Assert.Equal(JsonValueKind.Null, got.GetProperty("p_value").ValueKind);
                else Assert.Equal(want[i].GetProperty("p_value").GetDouble(), got.GetProperty("p_value").GetDouble());
            }
        }
    }

    [Fact]
    public void HumanOutputIsSacreBleusTable()
    {
        using var files = new TempFiles();
        (string reference, string[] systems) = Write(files);
        CliRun run = CliRun.Of("eval", "paired-bs", "--ref", reference, "--baseline", systems[0], "--system", systems[1], "--system", systems[2]);
        Assert.True(run.ExitCode == 0, run.Error);
        // sacreBLEU prints these cells for the same data: "51.6 (51.6 ± 4.3)" over "(p = 0.0010)*".
        Assert.Contains("51.6 (51.6 ± 4.3)", run.Output);
        Assert.Contains("(p = 0.0010)*", run.Output);
        Assert.Contains("(p = 0.3846)", run.Output);
        Assert.DoesNotContain("(p = 0.3846)*", run.Output);
        Assert.Contains("BLEU signature: nrefs:1|bs:1000|seed:12345|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0", run.Output);
        Assert.Contains("chrF2 signature: nrefs:1|bs:1000|seed:12345|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0", run.Output);
    }

    [Fact]
    public void SeedResamplesAndTokenizerReachTheTest()
    {
        using var files = new TempFiles();
        (string reference, string[] systems) = Write(files);
        CliRun run = CliRun.Of("eval", "paired-bs", "--ref", reference, "--baseline", systems[0], "--system", systems[1],
            "--metrics", "bleu", "--tokenize", "char", "--resamples", "50", "--seed", "9", "--json");
        Assert.True(run.ExitCode == 0, run.Error);
        using JsonDocument json = JsonDocument.Parse(run.Output);
        Assert.Equal("nrefs:1|bs:50|seed:9|case:mixed|eff:no|tok:char|smooth:exp|version:2.6.0",
            json.RootElement.GetProperty("signatures").GetProperty("BLEU").GetString());
        Assert.Equal(1.0 / 51, json.RootElement.GetProperty("systems")[1].GetProperty("BLEU").GetProperty("p_value").GetDouble());
    }

    [Fact]
    public void MisalignedAndBrokenFilesAreOneLineInputErrors()
    {
        using var files = new TempFiles();
        string three = files.Lines(["a", "b", "c"]);
        CliRun shortSystem = CliRun.Of("eval", "paired-bs", "--ref", three, "--baseline", three, "--system", files.Lines(["a", "b"]));
        Assert.Equal(1, shortSystem.ExitCode);
        Assert.Contains("--system", shortSystem.Error);
        Assert.Contains("has 2 lines but --baseline", shortSystem.Error);
        CliRun shortRef = CliRun.Of("eval", "paired-bs", "--ref", files.Lines(["a"]), "--baseline", three, "--system", three);
        Assert.Equal(1, shortRef.ExitCode);
        Assert.Contains("--ref", shortRef.Error);
        CliRun empty = CliRun.Of("eval", "paired-bs", "--ref", three, "--baseline", files.Bytes([]), "--system", three);
        Assert.Equal(1, empty.ExitCode);
        Assert.Contains("is empty", empty.Error);
        CliRun broken = CliRun.Of("eval", "paired-bs", "--ref", three, "--baseline", three, "--system", files.Bytes([0xFF, (byte)'\n']));
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("not valid UTF-8", broken.Error);
        foreach (CliRun run in new[] { shortSystem, shortRef, empty, broken })
            Assert.StartsWith("error: ", Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Theory]
    [InlineData("--ref", "F", "--baseline", "F")]
    [InlineData("--ref", "F", "--baseline", "F", "--system", "F", "--metrics", "bleu,ter")]
    [InlineData("--ref", "F", "--baseline", "F", "--system", "F", "--metrics", ",")]
    [InlineData("--ref", "F", "--baseline", "F", "--system", "F", "--resamples", "0")]
    [InlineData("--ref", "F", "--baseline", "F", "--system", "F", "--resamples", "many")]
    [InlineData("--ref", "F", "--baseline", "F", "--system", "F", "--seed", "-1")]
    [InlineData("--ref", "F", "--baseline", "F", "--system", "F", "--tokenize", "ja-mecab")]
    public void UsageErrorsAreOneLineWithExitCode2(params string[] args)
    {
        using var files = new TempFiles();
        string file = files.Lines(["a"]);
        CliRun run = CliRun.Of(["eval", "paired-bs", .. args.Select(a => a == "F" ? file : a)]);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Output);
        Assert.StartsWith("error: ", Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }
}
