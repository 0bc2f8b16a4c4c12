using Microsoft.Extensions.AI;
using Myna.Generation;
using Myna.Generation.Chat;
using Myna.Models.Inference;

// In the container's namespace, as extensions of IServiceCollection are by convention: found without a using.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a Myna model as the app's <see cref="IChatClient"/>.</summary>
public static class MynaChatClientServices
{
    /// <summary>
    /// Registers <see cref="IChatClient"/> as a <see cref="MynaChatClient"/> over the model in <paramref name="modelDirectory"/>
    /// (loaded once, on first use) and returns the builder for middleware such as logging or caching.
    /// <code>
    /// builder.Services.AddMynaChatClient("models/myna-default").UseLogging();
    /// </code>
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="modelDirectory">A Hugging Face GPT-2 directory with its tokenizer.</param>
    /// <param name="precision">How the weights are held for generation.</param>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist (checked now, not at the first request).</exception>
    public static ChatClientBuilder AddMynaChatClient(this IServiceCollection services, string modelDirectory, InferencePrecision precision = InferencePrecision.F32)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelDirectory);
        if (!Directory.Exists(modelDirectory)) throw new DirectoryNotFoundException($"model directory '{modelDirectory}' does not exist.");
        services.AddSingleton(_ => GptLanguageModel.FromPretrained(modelDirectory, precision));
        return services.AddChatClient(provider => new MynaChatClient(provider.GetRequiredService<GptLanguageModel>()));
    }
}
