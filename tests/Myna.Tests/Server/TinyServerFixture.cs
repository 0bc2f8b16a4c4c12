using Myna.Tests.Generation;

namespace Myna.Tests.Server;

/// <summary>One tiny model (context 1024, byte-level tokenizer) and one default server over it, shared by a test class.</summary>
public sealed class TinyServerFixture : IAsyncLifetime
{
    /// <summary>Long enough that a stream nobody reads outgrows every buffer between the scheduler and the client.</summary>
    public const int ContextLength = 1024;

    public TinyModelDirectory Directory { get; } = TinyModelDirectory.Create(tiedEmbeddings: true, contextLength: ContextLength);

    internal RunningServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await RunningServer.StartAsync(Directory.Path);

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Dispose();
    }
}
