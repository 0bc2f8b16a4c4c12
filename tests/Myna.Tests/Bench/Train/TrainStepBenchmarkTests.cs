using System.Text.Json;
using Myna.Cli;
using Myna.Tensors;

namespace Myna.Tests.Bench.Train;

/// <summary><c>myna bench train</c> on a few tokens of the tiny preset: the figures it reports are there and sane.</summary>
public class TrainStepBenchmarkTests
{
    [Fact]
    public void JsonNamesTheTierAndTimesEveryPhase()
    {
        var output = new StringWriter();
        int code = MynaApp.Run(
            ["bench", "train", "--json", "--preset", "tiny", "--batch", "1", "--seq-len", "8", "--steps", "2", "--warmup", "0",
             "--isa", SimdTiers.Name(SimdTiers.Current)],
            output, new StringWriter());

        Assert.Equal(MynaApp.Success, code);
        using JsonDocument json = JsonDocument.Parse(output.ToString());
        JsonElement root = json.RootElement;
        Assert.Equal(SimdTiers.Name(SimdTiers.Current), root.GetProperty("myna_isa").GetString());
        Assert.Equal(Gemm.KernelDescription, root.GetProperty("myna_kernel").GetString());
        Assert.True(root.GetProperty("mfu").GetDouble() > 0);
        Assert.True(root.GetProperty("forward_ms").GetDouble() > 0);
        Assert.True(root.GetProperty("backward_ms").GetDouble() > 0);
        Assert.True(root.GetProperty("optimizer_ms").GetDouble() > 0);
        // Two steps on the same batch: the second sees the first's update, so the loss moves and stays finite.
        double first = root.GetProperty("first_loss").GetDouble(), last = root.GetProperty("last_loss").GetDouble();
        Assert.True(double.IsFinite(first) && double.IsFinite(last) && first != last, $"{first} -> {last}");
    }
}
