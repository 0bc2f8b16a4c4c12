using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Myna.Tests.Generation;

namespace Myna.Tests.Samples;

public class ChatClientServiceSampleTests(TinyModelDirectory model) : IClassFixture<TinyModelDirectory>
{
    [Fact]
    public void TheDependencyInjectionSampleAnswersThroughAnInjectedClient()
    {
        // Run from its own build output: this test project runs on the ASP.NET Core framework, which holds the generic
        // host, so the host's package assemblies are not copied here, while the sample runs on the base framework.
        string configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // …/bin/Release/net10.0/
        string sample = Path.Combine(Myna.Tests.Text.TempFolder.RepositoryRoot(), "samples", "ChatClientService", "bin", configuration, "net10.0", "ChatClientService.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(sample);
        start.ArgumentList.Add(model.Path);
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "the sample did not finish in a minute");
        Assert.True(process.ExitCode == 0, error);
        Assert.StartsWith($"[{Path.GetFileName(model.Path)}] ", output);
    }

    [Fact]
    public async Task TheRegistrationLoadsTheModelOnceAndChecksTheFolderAtOnce()
    {
        var services = new ServiceCollection();
        services.AddMynaChatClient(model.Path);
        await using ServiceProvider provider = services.BuildServiceProvider();
        IChatClient first = provider.GetRequiredService<IChatClient>(), second = provider.GetRequiredService<IChatClient>();
        Assert.Same(first, second);
        ChatResponse reply = await first.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], new ChatOptions { MaxOutputTokens = 3, Temperature = 0 });
        Assert.NotNull(reply.Usage);

        Assert.Throws<DirectoryNotFoundException>(() => new ServiceCollection().AddMynaChatClient(Path.Combine(model.Path, "missing")));
    }
}
