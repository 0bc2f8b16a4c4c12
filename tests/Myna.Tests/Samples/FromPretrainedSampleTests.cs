using System.Diagnostics;
using Myna.Tests.Generation;

namespace Myna.Tests.Samples;

public class FromPretrainedSampleTests(TinyModelDirectory model) : IClassFixture<TinyModelDirectory>
{
    [Fact]
    public void TheReadmeSampleRunsAgainstAModelDirectory()
    {
        string sample = Path.Combine(AppContext.BaseDirectory, "FromPretrained.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(sample);
        start.ArgumentList.Add(model.Path);
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "the sample did not finish in a minute");
        Assert.True(process.ExitCode == 0, error);
        Assert.StartsWith("Hello, I am a product manager.", output);
        Assert.Contains("\nOnce upon a time", output);
    }
}
