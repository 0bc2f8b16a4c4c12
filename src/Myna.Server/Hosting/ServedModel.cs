using Myna.Generation;
using Myna.Text.Tokenization;

namespace Myna.Server.Hosting;

/// <summary>The one model a server serves: its id, tokenizer and the scheduler every request of it goes through.</summary>
public sealed class ServedModel
{
    /// <summary>Serves <paramref name="model"/> as <paramref name="id"/>, with a scheduler shaped by <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">The model has no tokenizer (chat and text prompts need one).</exception>
    public ServedModel(GptLanguageModel model, string id, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        Model = model;
        Id = id;
        Options = options;
        Tokenizer = model.Tokenizer ?? throw new ArgumentException("the model has no tokenizer; a server needs one (tokenizer.json or vocab.json + merges.txt).");
        // The server's own scheduler: fixed slots (--parallel), a bounded queue, the weights converted once and shared.
        Scheduler = new GenerationScheduler(model.InferenceWeights, model.Tokenizer, model.EndOfTextId, options.ToSchedulerOptions());
    }

    /// <summary>The id clients name in <c>model</c>.</summary>
    public string Id { get; }

    /// <summary>The model.</summary>
    public GptLanguageModel Model { get; }

    /// <summary>The model's tokenizer.</summary>
    public GptTokenizer Tokenizer { get; }

    /// <summary>The scheduler every generation request goes through (driven by <see cref="SchedulerHost"/>).</summary>
    public GenerationScheduler Scheduler { get; }

    /// <summary>The server's options.</summary>
    public ServerOptions Options { get; }

    /// <summary>The model's context length (n_ctx).</summary>
    public int ContextLength => Model.Config.ContextLength;

    /// <summary>When the server loaded the model (Unix seconds), reported as the model's <c>created</c>.</summary>
    public long Created { get; } = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>The most choices one prompt may ask for: --max-n, and never more than the slots.</summary>
    public int MaxChoices => Math.Min(Options.MaxN, Options.Parallel);

    /// <summary>The server's output filters (<c>--redact-output</c>, <c>--block-list</c>) added to a request's options.</summary>
    public GenerationOptions WithOutputFilters(GenerationOptions options) =>
        options with { RedactPii = Options.RedactOutput, BlockedPhrases = Options.BlockList };

    /// <summary>Checks the request's <c>model</c>: absent means this one, another name is a 404.</summary>
    public void Require(string? requested)
    {
        if (requested is not null && requested != Id) throw Errors.OpenAiException.ModelNotFound(requested);
    }
}
