using System.Diagnostics;
using System.Text.Json;
using Myna.Cli;
using Myna.Tensors;
using Myna.Tests.Text;

namespace Myna.Tests.Cli;

/// <summary>
/// The process-level switches a user has for instruction sets (.NET's <c>DOTNET_Enable*</c> variables) really change
/// the tier <c>myna generate</c> computes at, and every tier continues the default model's prompt as the default tier
/// does: the same greedy ids, log-probabilities within <see cref="LogProbTolerance"/>.
/// </summary>
/// <remarks>
/// Each case launches the built CLI (<c>dotnet myna.dll</c>) with the switches set, because they are read once when
/// the runtime starts: this process cannot lower its own tier. The reference is the same command run in this process
/// at its own tier. <c>generate --json</c> does not name the tier it ran, so that the switch reached the kernels is
/// shown by the log-probabilities' bits instead: a child at this process's tier must reproduce them exactly (same
/// code, and thread counts do not change bits), a child at a lower tier must not (tiers sum in different orders).
/// </remarks>
public sealed class InstructionTierTests
{
    /// <summary>
    /// A continuation with no near tie: at each of these greedy steps the best logit leads the second by at least 0.2 at
    /// every precision (the tenth step would lead by only 0.006 at int8), far beyond what tiers' rounding moves, so
    /// equal ids are a fair demand of every tier.
    /// </summary>
    private const string Prompt = "And";
    private const int NewTokens = 9;

    /// <summary>
    /// Across tiers the greedy path is the same and only rounding differs: at most about 5e-5 measured on the default
    /// model (f16, AVX-512 against SSE-only), 3e-6 at f32. A broken kernel moves a log-probability by far more.
    /// </summary>
    private const float LogProbTolerance = 1e-3f;

    /// <summary>
    /// int8 quantises each activation row to 8 bits before its products, so a rounding difference upstream that moves
    /// an activation across a quantisation step changes the product by a whole step (1/254 of its block's largest
    /// |x|): across tiers the log-probabilities then differ by about 1e-3 (measured 1.2e-3, AVX-512 against SSE only),
    /// still far below what a broken kernel does.
    /// </summary>
    private const float Int8LogProbTolerance = 1e-2f;

    /// <summary>AVX-512 off (<c>DOTNET_EnableAVX512F</c> too: .NET 10 reads only the first, older runtimes the second).</summary>
    private static readonly Dictionary<string, string> Avx512Off = new()
    {
        ["DOTNET_EnableAVX512"] = "0",
        ["DOTNET_EnableAVX512F"] = "0",
    };

    /// <summary>AVX-512, AVX2 (with FMA) and AVX off: SSE's 128-bit vectors only, as on an Arm64 (NEON) machine.</summary>
    private static readonly Dictionary<string, string> SseOnly = new(Avx512Off)
    {
        ["DOTNET_EnableAVX2"] = "0",
        ["DOTNET_EnableAVX"] = "0",
    };

    public static TheoryData<string, string> Cases() => new()
    {
        { "avx512-off", "f32" }, { "avx512-off", "f16" }, { "avx512-off", "int8" },
        { "sse-only", "f32" }, { "sse-only", "f16" }, { "sse-only", "int8" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void GreedyIdsMatchTheDefaultTierAndTheSwitchReachesTheKernels(string switches, string dtype)
    {
        (IReadOnlyDictionary<string, string> environment, SimdTier cap) = switches == "sse-only" ? (SseOnly, SimdTier.Portable) : (Avx512Off, SimdTier.Avx2);
        string[] args = ["generate", "--model", DefaultModelPath(), "--prompt", Prompt, "--max-new-tokens", NewTokens.ToString(),
            "--ignore-eos", "--json", "--logprobs", "--dtype", dtype];

        CliRun here = CliRun.Of(args);
        Assert.True(here.ExitCode == 0, here.Error);
        (int[] expectedIds, float[] expectedLogProbs) = Sequence(here.Output);
        Assert.Equal(NewTokens, expectedIds.Length);

        (int code, string output, string error) = RunMyna(environment, args);
        Assert.True(code == 0, $"myna generate with {switches} exited {code}: {error}");
        (int[] ids, float[] logProbs) = Sequence(output);

        Assert.Equal(expectedIds, ids);
        Assert.Equal(expectedLogProbs.Length, logProbs.Length);
        for (int i = 0; i < logProbs.Length; i++)
            Assert.True(MathF.Abs(expectedLogProbs[i] - logProbs[i]) <= (dtype == "int8" ? Int8LogProbTolerance : LogProbTolerance),
                $"token {i}: log-probability {logProbs[i]:R} with {switches}, {expectedLogProbs[i]:R} at {SimdTiers.Name(SimdTiers.Current)}");

        // The child's tier is this process's, capped by the added switches (a CPU without AVX-512 is already at AVX2). The
        // child inherits this process's environment, MYNA_ISA included: a child at the same tier must then agree bit for
        // bit, which also checks that MYNA_ISA and the runtime's switch choose the same kernels.
        SimdTier childTier = SimdTiers.Current < cap ? SimdTiers.Current : cap;
        Assert.Equal(SimdTiers.Name(SimdTiers.Current), Isa(here.Output));
        Assert.Equal(SimdTiers.Name(childTier), Isa(output));
        if (childTier == SimdTiers.Current)
            Assert.Equal(expectedLogProbs, logProbs);
        else
            Assert.False(expectedLogProbs.SequenceEqual(logProbs),
                $"with {switches} the log-probabilities are bit for bit those of {SimdTiers.Name(SimdTiers.Current)}: the switches did not reach the kernels");
    }

    /// <summary>
    /// f16 matrices store their halves times 2^10 where that is exact (no subnormal half), or plain
    /// (<c>MYNA_F16_PRESCALE=0</c>), and plain halves are read either in place, scaled by 2^-112, or as normal floats
    /// where subnormal operands are slow (<c>MYNA_F16_LOADS</c>). All three give the same weights, so children that
    /// store and read them each way continue the prompt bit for bit alike, at every tier.
    /// </summary>
    [Theory]
    [InlineData("none")]
    [InlineData("avx512-off")]
    [InlineData("sse-only")]
    public void EveryWayOfStoringAndReadingHalvesGivesTheSameBits(string switches)
    {
        Dictionary<string, string> tier = switches switch { "avx512-off" => Avx512Off, "sse-only" => SseOnly, _ => [] };
        string[] args = ["generate", "--model", DefaultModelPath(), "--prompt", Prompt, "--max-new-tokens", NewTokens.ToString(),
            "--ignore-eos", "--json", "--logprobs", "--dtype", "f16"];
        (int prescaledCode, string prescaled, string prescaledError) = RunMyna(new Dictionary<string, string>(tier) { ["MYNA_F16_PRESCALE"] = "1" }, args);
        (int normalCode, string normal, string normalError) = RunMyna(new Dictionary<string, string>(tier) { ["MYNA_F16_PRESCALE"] = "0", ["MYNA_F16_LOADS"] = "normal" }, args);
        (int inPlaceCode, string inPlace, string inPlaceError) = RunMyna(new Dictionary<string, string>(tier) { ["MYNA_F16_PRESCALE"] = "0", ["MYNA_F16_LOADS"] = "in-place" }, args);
        Assert.True(prescaledCode == 0, prescaledError);
        Assert.True(normalCode == 0, normalError);
        Assert.True(inPlaceCode == 0, inPlaceError);
        Assert.Equal(Isa(prescaled), Isa(normal));
        Assert.Equal(Isa(prescaled), Isa(inPlace));
        Assert.Equal(Sequence(prescaled).Ids, Sequence(normal).Ids);
        Assert.Equal(Sequence(prescaled).LogProbs, Sequence(normal).LogProbs);
        Assert.Equal(Sequence(prescaled).Ids, Sequence(inPlace).Ids);
        Assert.Equal(Sequence(prescaled).LogProbs, Sequence(inPlace).LogProbs);
    }

    /// <summary>
    /// The q8 integer kernels exist in forms for the byte instructions a CPU may lack (AVX-VNNI's <c>vpdpbusd</c> or
    /// AVX2's <c>vpmaddubsw</c> at the x86 tiers; SSSE3's, or plain widening multiplies, at the portable tier). Their
    /// block sums are exact integers, so a child with the instruction switched off must continue the prompt bit for bit
    /// as a child with it on (where the CPU lacks it, both run the same form and the check is trivially met). Not at the
    /// AVX-512 tier: there, without AVX-VNNI, four or more rows take the f32 kernels by design (QuantizedMatMul).
    /// </summary>
    [Theory]
    [InlineData("avx512-off", "DOTNET_EnableAVXVNNI")]
    [InlineData("sse-only", "DOTNET_EnableSSSE3")]
    public void IntegerKernelsGiveTheSameBitsWithoutTheirByteInstructions(string switches, string instructionSwitch)
    {
        Dictionary<string, string> tier = switches switch { "avx512-off" => Avx512Off, "sse-only" => SseOnly, _ => [] };
        // A prompt of more than 16 tokens, so its prefill runs the many-row kernels too (and, where they transpose W once
        // for several groups of 8 rows, that path).
        const string LongPrompt = "In the beginning God created the heaven and the earth. And the earth was without form, and void; and darkness was upon the face of the deep.";
        string[] args = ["generate", "--model", DefaultModelPath(), "--prompt", LongPrompt, "--max-new-tokens", NewTokens.ToString(),
            "--ignore-eos", "--json", "--logprobs", "--dtype", "int8"];
        (int withCode, string with, string withError) = RunMyna(tier, args);
        (int withoutCode, string without, string withoutError) = RunMyna(new Dictionary<string, string>(tier) { [instructionSwitch] = "0" }, args);
        Assert.True(withCode == 0, withError);
        Assert.True(withoutCode == 0, withoutError);
        Assert.Equal(Isa(with), Isa(without));
        Assert.Equal(Sequence(with).Ids, Sequence(without).Ids);
        Assert.Equal(Sequence(with).LogProbs, Sequence(without).LogProbs);
    }

    /// <summary>The tier <c>generate --json</c> says it ran at.</summary>
    private static string? Isa(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("isa").GetString();
    }

    /// <summary>The generated ids and log-probabilities of the one sequence in <c>generate --json</c> output.</summary>
    private static (int[] Ids, float[] LogProbs) Sequence(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement sequence = document.RootElement.GetProperty("sequences")[0];
        return ([.. sequence.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32())],
            [.. sequence.GetProperty("logprobs").EnumerateArray().Select(e => e.GetSingle())]);
    }

    /// <summary>Runs <c>dotnet myna.dll ARGS</c> (the command beside the test assembly) with extra environment variables.</summary>
    private static (int ExitCode, string Output, string Error) RunMyna(IReadOnlyDictionary<string, string> environment, string[] args)
    {
        string myna = typeof(MynaApp).Assembly.Location;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(myna);
        foreach (string arg in args) start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "myna generate did not finish in a minute");
        return (process.ExitCode, output, error.Result);
    }

    /// <summary>models/myna-default in this repository (the nearest folder above the test binaries holding Myna.slnx).</summary>
    private static string DefaultModelPath() => Path.Combine(TempFolder.RepositoryRoot(), "models", "myna-default");
}
