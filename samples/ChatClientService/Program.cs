// A Myna model as the IChatClient of an app built on the .NET generic host: registered once, injected wherever a
// service needs it, with Microsoft.Extensions.AI middleware (here: logging) on top.
// Run: dotnet run --project samples/ChatClientService [model directory]   (default: models/myna-default)
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

string path = args.Length > 0 ? args[0] : "models/myna-default";

HostApplicationBuilder builder = Host.CreateApplicationBuilder();
builder.Services.AddMynaChatClient(path).UseLogging();
builder.Services.AddSingleton<Greeter>();
using IHost host = builder.Build();

Greeter greeter = host.Services.GetRequiredService<Greeter>();
Console.WriteLine(await greeter.GreetAsync("Ada"));

/// <summary>A service written against IChatClient only: it does not know which model answers.</summary>
internal sealed class Greeter(IChatClient chat)
{
    public async Task<string> GreetAsync(string who)
    {
        ChatResponse reply = await chat.GetResponseAsync(
            [new ChatMessage(ChatRole.User, $"Say hello to {who}.")],
            new ChatOptions { Temperature = 0, MaxOutputTokens = 20 });
        ChatClientMetadata? about = chat.GetService<ChatClientMetadata>();
        return $"[{about?.DefaultModelId}] {reply.Text}";
    }
}
