using System.Runtime.CompilerServices;
using Myna.Models;
using Myna.Models.Checkpoints;
using Myna.Models.Inference;
using Myna.Text.Tokenization;

namespace Myna.Generation;

/// <summary>
/// A GPT-2 language model ready to generate: the C# counterpart of transformers' <c>GPT2LMHeadModel</c>.
/// <code>
/// var tokenizer = GptTokenizer.FromPretrained("models/myna-default");
/// var model = GptLanguageModel.FromPretrained("models/myna-default");
/// int[] inputIds = tokenizer.Encode("Hello, I am a product manager.");
/// var output = model.Generate(inputIds, new GenerationOptions { MaxLength = 100, NumReturnSequences = 1 });
/// Console.WriteLine(tokenizer.Decode(output[0], skipSpecialTokens: true));
/// </code>
/// </summary>
/// <remarks>
/// Thread-safe: every call goes through one <see cref="GenerationScheduler"/> (<see cref="Scheduler"/>), so concurrent
/// calls are batched step by step. The weights are converted once, on first use (<see cref="InferenceWeights"/>).
/// </remarks>
public sealed class GptLanguageModel
{
    /// <summary>Slots the model's own scheduler may grow to (when idle) for the requests waiting: several prompts, or n &gt; 1.</summary>
    public const int MaxConcurrentSequences = 64;

    /// <summary>
    /// Prompt tokens per step in the model's own scheduler: whole prompts in one pass in practice (a weight matrix read
    /// once per 512 rows), while a long prompt still cannot hold up other callers' streams for more than a step.
    /// </summary>
    public const int PrefillChunk = 512;

    private readonly Lazy<InferenceWeights> _inference;
    private readonly Lazy<GenerationScheduler> _scheduler;

    /// <summary>
    /// Wraps weights (and optionally their tokenizer, needed for text, stop sequences and chat); generation runs with the
    /// linear layers and head stored in <paramref name="precision"/>.
    /// </summary>
    public GptLanguageModel(GptWeights weights, GptTokenizer? tokenizer = null, int? endOfTextId = null, InferencePrecision precision = InferencePrecision.F32)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (tokenizer is not null && tokenizer.VocabSize > weights.Config.VocabSize)
            throw new ArgumentException($"the tokenizer has {tokenizer.VocabSize} ids but the model only {weights.Config.VocabSize}.");
        Weights = weights;
        Tokenizer = tokenizer;
        EndOfTextId = endOfTextId ?? tokenizer?.EndOfTextId;
        Precision = precision;
        _inference = new Lazy<InferenceWeights>(() => new InferenceWeights(Weights, Precision));
        _scheduler = new Lazy<GenerationScheduler>(() => new GenerationScheduler(InferenceWeights, Tokenizer, EndOfTextId,
            new SchedulerOptions { Slots = 1, MaxSlots = MaxConcurrentSequences, PrefillChunk = PrefillChunk }));
    }

    /// <summary>
    /// The weights as inference reads them, converted to <see cref="Precision"/> on first use and then shared by every
    /// engine over this model (generation, perplexity, comparison, a server's scheduler).
    /// </summary>
    public InferenceWeights InferenceWeights => _inference.Value;

    /// <summary>The scheduler every generation call of this model goes through (created on first use).</summary>
    public GenerationScheduler Scheduler => _scheduler.Value;

    /// <summary>How the inference engine stores the linear layers and head (f32, f16 or int8 blocks).</summary>
    public InferencePrecision Precision { get; }

    /// <summary>The model's parameters and shape.</summary>
    public GptWeights Weights { get; }

    /// <summary>The model's name: its directory's name when loaded with <see cref="FromPretrained(string)"/>, else null unless set.</summary>
    public string? Name { get; init; }

    /// <summary>The model's shape.</summary>
    public GptConfig Config => Weights.Config;

    /// <summary>The tokenizer from the model directory, when it has one.</summary>
    public GptTokenizer? Tokenizer { get; }

    /// <summary>The token that ends generation (from generation_config.json, else the tokenizer's &lt;|endoftext|&gt;).</summary>
    public int? EndOfTextId { get; }

    /// <summary>Loads a Hugging Face GPT-2 model directory: config.json, model.safetensors, and its tokenizer files if present.</summary>
    /// <exception cref="ModelFormatException">A file is missing, malformed or describes an unsupported model.</exception>
    /// <exception cref="SafeTensorsFormatException">model.safetensors is truncated or malformed.</exception>
    /// <exception cref="TokenizerFormatException">The tokenizer files are malformed.</exception>
    public static GptLanguageModel FromPretrained(string directory) => FromPretrained(directory, InferencePrecision.F32);

    /// <summary>Loads a Hugging Face GPT-2 model directory for generation at <paramref name="precision"/>.</summary>
    /// <exception cref="ModelFormatException">A file is missing, malformed or describes an unsupported model.</exception>
    /// <exception cref="SafeTensorsFormatException">model.safetensors is truncated or malformed.</exception>
    /// <exception cref="TokenizerFormatException">The tokenizer files are malformed.</exception>
    public static GptLanguageModel FromPretrained(string directory, InferencePrecision precision) => FromPretrained(directory, precision, allowNonFinite: false);

    /// <summary>
    /// Loads a model directory at <paramref name="precision"/>; with <paramref name="allowNonFinite"/>, weights holding NaN or
    /// infinity load too (to inspect a run that diverged; <see cref="GptCheckpoint.DescribeNonFinite"/> says where).
    /// </summary>
    /// <exception cref="ModelFormatException">A file is missing, malformed or describes an unsupported model.</exception>
    /// <exception cref="SafeTensorsFormatException">model.safetensors is truncated or malformed.</exception>
    /// <exception cref="TokenizerFormatException">The tokenizer files are malformed.</exception>
    public static GptLanguageModel FromPretrained(string directory, InferencePrecision precision, bool allowNonFinite)
    {
        GptWeights weights = GptCheckpoint.Load(directory, allowNonFinite);
        GptTokenizer? tokenizer = ModelDirectory.LoadTokenizer(directory);
        return new GptLanguageModel(weights, tokenizer, ModelDirectory.ReadEndOfText(directory), precision)
        {
            Name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory))),
        };
    }

    /// <summary>
    /// Generates continuations of one prompt and returns prompt + new ids for each, as transformers' <c>generate</c>.
    /// Greedy unless <see cref="GenerationOptions.DoSample"/>.
    /// </summary>
    /// <exception cref="ArgumentException">An option is invalid, or the prompt is empty, too long, or holds unknown ids.</exception>
    public int[][] Generate(ReadOnlySpan<int> inputIds, GenerationOptions? options = null) =>
        GenerateDetailed([inputIds.ToArray()], options).Select(s => s.Ids).ToArray();

    /// <summary>Generates for several prompts of any lengths at once (batched decode); results are grouped by prompt, then by return sequence.</summary>
    public IReadOnlyList<GeneratedSequence> GenerateDetailed(IReadOnlyList<int[]> prompts, GenerationOptions? options = null, CancellationToken cancellation = default)
    {
        return TextGenerator.Run(Scheduler, prompts, options ?? new GenerationOptions(), cancellation);
    }

    /// <summary>Generates for several prompts without blocking the caller; results are grouped by prompt, then by return sequence.</summary>
    /// <exception cref="ArgumentException">An option is invalid, or a prompt is empty, too long, or holds unknown ids.</exception>
    public Task<IReadOnlyList<GeneratedSequence>> GenerateDetailedAsync(IReadOnlyList<int[]> prompts, GenerationOptions? options = null, CancellationToken cancellation = default) =>
        TextGenerator.RunAsync(Scheduler, prompts, options ?? new GenerationOptions(), cancellation);

    /// <summary>Encodes <paramref name="prompt"/>, generates and returns the generated text of each return sequence.</summary>
    public IReadOnlyList<GeneratedSequence> GenerateText(string prompt, GenerationOptions? options = null, CancellationToken cancellation = default) =>
        GenerateDetailed([RequireTokenizer().Encode(prompt)], options, cancellation);

    /// <summary>
    /// Streams tokens as they are generated, each with the text it makes final. Generation runs on the scheduler's
    /// thread, batched with any other call on this model; cancelling the token, or leaving the loop early, frees the
    /// sequence's slot at the next step.
    /// </summary>
    public async IAsyncEnumerable<GenerationChunk> GenerateStreamAsync(
        int[] inputIds, GenerationOptions? options = null, [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        GenerationRequest request = Scheduler.Submit(inputIds, options ?? new GenerationOptions(), stop.Token, stream: true);
        Scheduler.EnsureDriven();
        try
        {
            await foreach (GenerationChunk chunk in request.Chunks!.ReadAllAsync(cancellation).ConfigureAwait(false))
            {
                // Buffered chunks are not handed out after cancellation.
                cancellation.ThrowIfCancellationRequested();
                yield return chunk;
            }
            await request.Completion.ConfigureAwait(false);
        }
        finally
        {
            // A caller that stops reading early must not leave the request holding its slot.
            await stop.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Streams the text of one continuation of <paramref name="prompt"/>.</summary>
    public async IAsyncEnumerable<string> StreamTextAsync(string prompt, GenerationOptions? options = null, [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        await foreach (GenerationChunk chunk in GenerateStreamAsync(RequireTokenizer().Encode(prompt), options, cancellation).ConfigureAwait(false))
        {
            if (chunk.Text.Length > 0) yield return chunk.Text;
        }
    }

    /// <summary>Writes the model as a Hugging Face directory (config.json, model.safetensors, generation_config.json).</summary>
    public void SavePretrained(string directory, SafeTensorsDType dtype = SafeTensorsDType.F32)
    {
        ModelDirectory.Save(directory, Weights, dtype, EndOfTextId);
    }

    /// <summary>
    /// Writes the model and its tokenizer as GGUF for llama.cpp (architecture "gpt2"), with 2-D weights as F32, F16 or Q8_0.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model has no tokenizer (GGUF files carry their vocabulary).</exception>
    public void ExportGguf(string path, Myna.Models.Checkpoints.Gguf.GgufTensorType weightType, string? name = null)
    {
        GptTokenizer tokenizer = RequireTokenizer();
        var vocabulary = tokenizer.ExportVocabulary();
        var tokens = vocabulary.Tokens.ToList();
        // A model may have more rows than its tokenizer has ids (padded vocabularies); name the extra rows.
        for (int id = tokens.Count; id < Config.VocabSize; id++) tokens.Add($"[PAD{id}]");
        var control = tokenizer.SpecialTokens.Select(s => s.Id).ToHashSet();
        var gguf = new Myna.Models.Checkpoints.Gguf.GgufVocabulary(
            tokens, vocabulary.Merges.Select(m => $"{m.Left} {m.Right}").ToList(), control, EndOfTextId, EndOfTextId);
        Myna.Models.Checkpoints.Gguf.Gpt2GgufExport.Write(path, Weights, gguf, weightType, name ?? Path.GetFileNameWithoutExtension(path));
    }

    private GptTokenizer RequireTokenizer() =>
        Tokenizer ?? throw new InvalidOperationException("this model has no tokenizer; load a directory with tokenizer.json or vocab.json + merges.txt, or pass ids.");
}
