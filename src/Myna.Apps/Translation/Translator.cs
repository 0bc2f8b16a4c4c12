using Myna.Generation;
using Myna.Text.Tokenization;

namespace Myna.Apps.Translation;

/// <summary>
/// English → Chinese with a fine-tuned model: each source becomes the prompt <see cref="TranslationPrompt.Prompt"/>
/// after an end-of-text token (as every training example starts), and is decoded greedily until end-of-text or the
/// end of the line. Sources are sorted by length and decoded in batches through the model's one scheduler.
/// </summary>
public sealed class Translator : ITranslationSystem
{
    /// <summary>A translation is one line: the model ends it with end-of-text or a line break.</summary>
    private const string LineEnd = "\n";

    private readonly GptTokenizer _tokenizer;
    private readonly int _endOfText;

    /// <summary>Wraps a loaded model, which must have a tokenizer with an end-of-text token.</summary>
    /// <exception cref="ArgumentException">The model has no tokenizer or no end-of-text token.</exception>
    public Translator(GptLanguageModel model, TranslatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        Options = (options ?? new TranslatorOptions()).Validate();
        _tokenizer = model.Tokenizer ?? throw new ArgumentException("the translation model has no tokenizer files.", nameof(model));
        _endOfText = model.EndOfTextId ?? _tokenizer.EndOfTextId ?? throw new ArgumentException("the translation model's tokenizer has no end-of-text token.", nameof(model));
    }

    /// <summary>Loads a model directory, or the repository's <see cref="TranslationModelFolder"/> when it is null (f16
    /// inference unless <paramref name="options"/> say otherwise).</summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    public static Translator FromDirectory(string? directory, TranslatorOptions? options = null)
    {
        options ??= new TranslatorOptions();
        return new Translator(GptLanguageModel.FromPretrained(TranslationModelFolder.Resolve(directory), options.Precision), options);
    }

    /// <summary>The model translating.</summary>
    public GptLanguageModel Model { get; }

    /// <summary>How it decodes.</summary>
    public TranslatorOptions Options { get; }

    /// <inheritdoc />
    public string Name => "model";

    /// <inheritdoc />
    public IReadOnlyList<string> Translate(IReadOnlyList<string> sources, CancellationToken cancellation = default) =>
        [.. TranslateLines(sources, cancellation).Select(line => line.Text)];

    /// <summary>Translates one text.</summary>
    /// <exception cref="ArgumentException">The text is empty or too long for the model's context.</exception>
    public string Translate(string source)
    {
        TranslatedLine line = TranslateLines([source])[0];
        return line.Failed ? throw new ArgumentException(line.Error) : line.Text;
    }

    /// <summary>Translates one text without blocking the caller (generation runs on the model's scheduler).</summary>
    /// <exception cref="ArgumentException">The text is empty or too long for the model's context.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> fired.</exception>
    public async Task<string> TranslateAsync(string source, CancellationToken cancellation = default)
    {
        TranslatedLine line = (await TranslateLinesAsync([source], cancellation).ConfigureAwait(false))[0];
        return line.Failed ? throw new ArgumentException(line.Error) : line.Text;
    }

    /// <summary>Translates every source; one that cannot be translated gets an empty text and its reason.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> fired.</exception>
    public IReadOnlyList<TranslatedLine> TranslateLines(IReadOnlyList<string> sources, CancellationToken cancellation = default)
    {
        Plan plan = Prepare(sources);
        foreach ((int[] batch, GenerationOptions options) in plan.Batches)
            plan.Complete(batch, Model.GenerateDetailed([.. batch.Select(i => plan.Prompts[i])], options, cancellation));
        return plan.Results;
    }

    /// <summary>As <see cref="TranslateLines"/>, without blocking the caller.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> fired.</exception>
    public async Task<IReadOnlyList<TranslatedLine>> TranslateLinesAsync(IReadOnlyList<string> sources, CancellationToken cancellation = default)
    {
        Plan plan = Prepare(sources);
        foreach ((int[] batch, GenerationOptions options) in plan.Batches)
            plan.Complete(batch, await Model.GenerateDetailedAsync([.. batch.Select(i => plan.Prompts[i])], options, cancellation).ConfigureAwait(false));
        return plan.Results;
    }

    private Plan Prepare(IReadOnlyList<string> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var results = new TranslatedLine[sources.Count];
        int contextLength = Model.Config.ContextLength;
        // 1. Prompts, refusing the empty and those that leave no room for a translation.
        var prompts = new int[sources.Count][];
        var pending = new List<int>(sources.Count);
        for (int i = 0; i < sources.Count; i++)
        {
            string source = TranslationPrompt.OneLine(sources[i] ?? "");
            if (source.Length == 0)
            {
                results[i] = new TranslatedLine("", "the line is empty.");
                continue;
            }
            prompts[i] = [_endOfText, .. _tokenizer.Encode(TranslationPrompt.Prompt(source))];
            if (prompts[i].Length >= contextLength)
            {
                results[i] = new TranslatedLine("", $"the text takes {prompts[i].Length} tokens with its prompt; the model's context is {contextLength}.");
                continue;
            }
            pending.Add(i);
        }

        // 2. Each source's allowance of new tokens, from its own length; batches of similar lengths, each decoded with
        //    its longest member's allowance (a shorter member is cut back to its own, so batching never changes a line).
        pending.Sort((a, b) => prompts[a].Length != prompts[b].Length ? prompts[a].Length.CompareTo(prompts[b].Length) : a.CompareTo(b));
        int promptOverhead = _tokenizer.Encode(TranslationPrompt.Prompt("")).Length + 1;
        var allowances = new int[sources.Count];
        foreach (int i in pending)
            allowances[i] = (int)Math.Ceiling(Math.Max(1, prompts[i].Length - promptOverhead) * Options.MaxNewTokensPerSourceToken) + Options.ExtraNewTokens;
        var batches = new List<(int[], GenerationOptions)>();
        foreach (int[] batch in pending.Chunk(Options.BatchSize))
        {
            batches.Add((batch, new GenerationOptions
            {
                MaxNewTokens = batch.Max(i => allowances[i]),
                StopSequences = [LineEnd],
                StopAtEndOfText = true,
            }));
        }
        return new Plan(prompts, allowances, results, batches, _tokenizer);
    }

    /// <summary>The prompts, each one's allowance of new tokens, the results so far and the batches to decode.</summary>
    private sealed record Plan(int[][] Prompts, int[] Allowances, TranslatedLine[] Results,
        IReadOnlyList<(int[] Batch, GenerationOptions Options)> Batches, GptTokenizer Tokenizer)
    {
        public void Complete(int[] batch, IReadOnlyList<GeneratedSequence> generated)
        {
            for (int k = 0; k < batch.Length; k++)
            {
                GeneratedSequence sequence = generated[k];
                int allowance = Allowances[batch[k]];
                // Greedy rows do not depend on their batch, so the first `allowance` tokens are what decoding this
                // source alone would have produced before its own limit stopped it.
                string text = sequence.NewIds.Length <= allowance ? sequence.Text : Tokenizer.Decode(sequence.NewIds.AsSpan(0, allowance));
                int lineEnd = text.IndexOf(LineEnd, StringComparison.Ordinal);
                Results[batch[k]] = new TranslatedLine((lineEnd < 0 ? text : text[..lineEnd]).Trim(), null);
            }
        }
    }
}
