using System.Diagnostics;
using System.Text.Json;
using Myna.Cli;
using Myna.Tensors;

namespace Myna.Tests.Bench.Generation;

/// <summary><c>myna bench generate</c> on the tiny preset: both engines, the documented JSON, clear errors.</summary>
public class GenerateBenchmarkTests
{
    private static readonly string[] TinyRun =
        ["bench", "generate", "--json", "--preset", "tiny", "--prompt-tokens", "8", "--new-tokens", "4", "--batch", "2", "--repeats", "1"];

    [Fact]
    public void JsonHasMynaAndLlamaCppSideBySideForEachPrecision()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        int code = MynaApp.Run([.. TinyRun, "--dtypes", "f32,int8"], output, error);

        Assert.True(code == 0, error.ToString());
        using JsonDocument json = JsonDocument.Parse(output.ToString());
        JsonElement[] results = json.RootElement.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(
            [("myna", "f32"), ("llama.cpp", "f32"), ("myna", "int8"), ("llama.cpp", "q8_0")],
            results.Select(r => (r.GetProperty("engine").GetString(), r.GetProperty("dtype").GetString())).ToArray());
        foreach (JsonElement r in results)
        {
            Assert.Equal(2, r.GetProperty("batch").GetInt32());
            Assert.Equal(2, r.GetProperty("threads").GetInt32());
            foreach (string figure in new[] { "prefill_tokens_per_s", "decode_tokens_per_s", "decode_tokens_per_s_batch" })
                Assert.True(r.GetProperty(figure).GetDouble() > 0, $"{figure} of {r}");
        }
        // Each engine names its tier: Myna this process's, llama.cpp the native build it loaded for that tier.
        string tier = SimdTiers.Name(SimdTiers.Current);
        Assert.Equal(tier, json.RootElement.GetProperty("isa").GetString());
        Assert.True(json.RootElement.GetProperty("pool_parked_before_peer").GetBoolean());
        Assert.Equal(tier == "portable" ? "noavx" : tier, json.RootElement.GetProperty("llama_build").GetString());
        Assert.All(results, r => Assert.Equal(r.GetProperty("engine").GetString() == "myna" ? tier : json.RootElement.GetProperty("llama_build").GetString(), r.GetProperty("isa").GetString()));
        // Myna's rows carry the scheduler's per-step work outside the forward pass; llama.cpp's have no such figure.
        foreach (JsonElement r in results)
        {
            bool myna = r.GetProperty("engine").GetString() == "myna";
            foreach (string figure in new[] { "overhead_ms_per_step", "forward_ms_per_step", "overhead_ms_per_step_batch", "forward_ms_per_step_batch" })
            {
                JsonElement value = r.GetProperty(figure);
                if (myna) Assert.True(value.GetDouble() >= 0 && r.GetProperty("forward_ms_per_step").GetDouble() > 0, $"{figure} of {r}");
                else Assert.Equal(JsonValueKind.Null, value.ValueKind);
            }
            // The share of Myna's weight bytes on huge pages (here the head, the one matrix of 2 MiB or more, where the
            // OS offers them; HugePageBufferTests check when it does).
            JsonElement share = r.GetProperty("weights_on_huge_pages");
            if (myna) Assert.InRange(share.GetDouble(), 0, 1);
            else Assert.Equal(JsonValueKind.Null, share.ValueKind);
        }
        // The int8 engine stores fewer weight bytes than the f32 one, as the GGUF q8_0 file does against f32.
        Assert.True(results[2].GetProperty("weight_bytes").GetInt64() < results[0].GetProperty("weight_bytes").GetInt64() / 3);
        Assert.True(results[3].GetProperty("weight_bytes").GetInt64() < results[1].GetProperty("weight_bytes").GetInt64() / 3);
    }

    [Fact]
    public void SkipLlamaMeasuresMynaOnly()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        int code = MynaApp.Run([.. TinyRun, "--dtypes", "f16", "--skip-llama"], output, error);

        Assert.True(code == 0, error.ToString());
        using JsonDocument json = JsonDocument.Parse(output.ToString());
        JsonElement result = Assert.Single(json.RootElement.GetProperty("results").EnumerateArray());
        Assert.Equal("myna", result.GetProperty("engine").GetString());
        Assert.Equal("f16", result.GetProperty("dtype").GetString());
    }

    [Fact]
    public void IsaBelowTheMachinesRerunsMynaInAChildHeldToThatTier()
    {
        if (!SimdTiers.IsSupported(SimdTier.Avx2) || SimdTiers.Current == SimdTier.Portable) return; // nothing lower to ask for than what runs
        SimdTier lower = SimdTiers.Current - 1;
        // The relaunch needs the real program, not the test host: run the CLI's own executable.
        string myna = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "myna.exe" : "myna");
        var start = new ProcessStartInfo(myna) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in (string[])[.. TinyRun, "--dtypes", "f32", "--skip-llama", "--isa", SimdTiers.Name(lower)]) start.ArgumentList.Add(a);
        start.Environment.Remove("MYNA_ISA");
        start.Environment.Remove(Myna.Bench.IsaRelaunch.MarkerVariable);

        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();

        Assert.True(process.ExitCode == 0, error);
        using JsonDocument json = JsonDocument.Parse(output);
        Assert.Equal(SimdTiers.Name(lower), json.RootElement.GetProperty("isa").GetString());
        Assert.Equal(SimdTiers.Name(lower), Assert.Single(json.RootElement.GetProperty("results").EnumerateArray()).GetProperty("isa").GetString());
    }

    [Theory]
    [InlineData("--isa", "avx1024", "--isa must be")]
    [InlineData("--dtypes", "q4", "unknown dtype")]
    [InlineData("--new-tokens", "300", "context length")]
    public void BadOptionsAreOneLineErrors(string option, string value, string expected)
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var args = TinyRun.ToList();
        int at = args.IndexOf(option);
        if (at >= 0) args.RemoveRange(at, 2);
        int code = MynaApp.Run([.. args, "--skip-llama", option, value], output, error);

        Assert.NotEqual(0, code);
        Assert.Equal("", output.ToString());
        string message = error.ToString().Trim();
        Assert.DoesNotContain('\n', message);
        Assert.Contains(expected, message);
    }
}
