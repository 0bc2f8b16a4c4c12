using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Myna.Models;
using Myna.Tensors;

namespace Myna.Training;

/// <summary>
/// Every setting of a training run, each default in exactly one place with its reason. A JSON config file uses the
/// flag names as keys (<c>{"batch-size": 16, "lr": 3e-4}</c> for <c>--batch-size 16 --lr 3e-4</c>); command-line
/// flags override the file. Defaults follow nanoGPT/llm.c's GPT-2 recipe, scaled for a laptop CPU; a few are derived
/// from other settings (<see cref="Resolve"/>), so that leaving them out never makes a model worse.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>Folder of token shards written by <c>myna shard</c> (train-*.bin, val-*.bin, meta.json); required.</summary>
    [JsonPropertyName("data")]
    public string? Data { get; init; }

    /// <summary>Output folder: checkpoints (last/, best/), metrics.jsonl, loss.png, report.md; required.</summary>
    [JsonPropertyName("out")]
    public string? Out { get; init; }

    /// <summary>Model shape when training from scratch (tiny: trains in minutes on a CPU); the vocabulary comes from the shards and the context from <see cref="ContextLength"/>.</summary>
    [JsonPropertyName("preset")]
    public string Preset { get; init; } = "tiny";

    /// <summary>Transformer blocks, overriding the preset's (null: the preset decides the shape).</summary>
    [JsonPropertyName("n-layer")]
    public int? Layers { get; init; }

    /// <summary>Attention heads per block, overriding the preset's (null: the preset's).</summary>
    [JsonPropertyName("n-head")]
    public int? Heads { get; init; }

    /// <summary>Residual-stream width, overriding the preset's (null: the preset's).</summary>
    [JsonPropertyName("n-embd")]
    public int? EmbeddingSize { get; init; }

    /// <summary>
    /// Longest sequence the position table covers (null: the sequence length, so that every position the model has is
    /// trained; a larger context than the training windows leaves positions the model never learned).
    /// </summary>
    [JsonPropertyName("n-ctx")]
    public int? ContextLength { get; init; }

    /// <summary>A model directory to fine-tune instead of a fresh model (null: from scratch, as pre-training is the default).</summary>
    [JsonPropertyName("init-from")]
    public string? InitFrom { get; init; }

    /// <summary>Tokenizer folder to copy into checkpoints (null: the one meta.json names, so the shards and model agree).</summary>
    [JsonPropertyName("tokenizer")]
    public string? Tokenizer { get; init; }

    /// <summary>Sequences per micro-batch, B (8: fills the cores of a laptop without blowing the cache-friendly activation size).</summary>
    [JsonPropertyName("batch-size")]
    public int BatchSize { get; init; } = 8;

    /// <summary>
    /// Tokens per sequence, T (null: with <see cref="InitFrom"/> the model's context, so fine-tuning trains every
    /// position it has; from scratch <see cref="DefaultSequenceLength"/>).
    /// </summary>
    [JsonPropertyName("seq-len")]
    public int? SequenceLength { get; init; }

    /// <summary>Tokens per sequence from scratch when none is given (256: a tiny model's context that trains in minutes on a CPU).</summary>
    public const int DefaultSequenceLength = 256;

    /// <summary>Micro-batches summed into one optimizer step (1: a step is one batch unless a larger effective batch is asked for).</summary>
    [JsonPropertyName("grad-accum")]
    public int GradientAccumulationSteps { get; init; } = 1;

    /// <summary>Peak learning rate (6e-4: nanoGPT's GPT-2 124M value).</summary>
    [JsonPropertyName("lr")]
    public double LearningRate { get; init; } = 6e-4;

    /// <summary>Learning rate at the end of the cosine decay (6e-5: a tenth of the peak, as in Chinchilla and nanoGPT).</summary>
    [JsonPropertyName("min-lr")]
    public double MinLearningRate { get; init; } = 6e-5;

    /// <summary>
    /// Steps of linear warm-up from zero to the peak (null: a tenth of the run, at most <see cref="MaxDefaultWarmupSteps"/>,
    /// so a short fine-tune still spends most of its steps at its learning rate).
    /// </summary>
    [JsonPropertyName("warmup")]
    public int? WarmupSteps { get; init; }

    /// <summary>The derived warm-up's ceiling (100: enough for Adam's moment estimates to settle on small runs).</summary>
    public const int MaxDefaultWarmupSteps = 100;

    /// <summary>Step at which the cosine reaches the minimum (null: the run's last step, as nanoGPT's lr_decay_iters = max_iters).</summary>
    [JsonPropertyName("decay-steps")]
    public int? DecaySteps { get; init; }

    /// <summary>Decoupled weight decay on 2-D tensors (0.1: GPT-3 and nanoGPT).</summary>
    [JsonPropertyName("weight-decay")]
    public double WeightDecay { get; init; } = 0.1;

    /// <summary>
    /// Dropout probability on the embeddings and on each block's attention and MLP outputs before they join the residual
    /// stream (GPT-2's embd_pdrop and resid_pdrop); 0 (the default, as nanoGPT pre-trains) turns it off. Masks depend only
    /// on the seed and the step, so resuming stays bit-exact.
    /// </summary>
    [JsonPropertyName("dropout")]
    public double Dropout { get; init; }

    /// <summary>Adam β1 (0.9: the universal default).</summary>
    [JsonPropertyName("beta1")]
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Adam β2 (0.95: GPT-3's value, steadier than 0.999 for language models).</summary>
    [JsonPropertyName("beta2")]
    public double Beta2 { get; init; } = 0.95;

    /// <summary>Adam ε (1e-8: PyTorch's default).</summary>
    [JsonPropertyName("eps")]
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>Global gradient-norm clip (1.0: GPT-3 and nanoGPT; 0 turns clipping off).</summary>
    [JsonPropertyName("grad-clip")]
    public double GradClip { get; init; } = 1.0;

    /// <summary>Optimizer steps to run (1000: a few minutes for the tiny preset).</summary>
    [JsonPropertyName("max-steps")]
    public int MaxSteps { get; init; } = 1000;

    /// <summary>Tokens to train on; when set it replaces <see cref="MaxSteps"/> (null: the step count decides).</summary>
    [JsonPropertyName("max-tokens")]
    public long? MaxTokens { get; init; }

    /// <summary>Steps between validation passes (100: a curve with enough points without spending much time on eval; 0: only at the end). A new run also validates before its first step.</summary>
    [JsonPropertyName("eval-interval")]
    public int EvalInterval { get; init; } = 100;

    /// <summary>Validation batches per pass (20: a stable estimate; the same batches every time so passes compare).</summary>
    [JsonPropertyName("eval-batches")]
    public int EvalBatches { get; init; } = 20;

    /// <summary>Steps between checkpoints (500: at most a few minutes of work lost on a crash; 0: only at the end).</summary>
    [JsonPropertyName("checkpoint-interval")]
    public int CheckpointInterval { get; init; } = 500;

    /// <summary>Validation passes without a new best before stopping (0: never stop early, training runs to the end).</summary>
    [JsonPropertyName("patience")]
    public int EarlyStoppingPatience { get; init; }

    /// <summary>Steps between progress lines and metrics.jsonl records (10: readable logs, negligible cost).</summary>
    [JsonPropertyName("log-interval")]
    public int LogInterval { get; init; } = 10;

    /// <summary>Order of training windows (random: the usual i.i.d. sampling; sequential reads the shards in order).</summary>
    [JsonPropertyName("data-order")]
    public DataOrder DataOrder { get; init; } = DataOrder.Random;

    /// <summary>Seed for initial weights and data order (1337: nanoGPT's; any fixed value makes runs repeatable).</summary>
    [JsonPropertyName("seed")]
    public ulong Seed { get; init; } = 1337;

    /// <summary>Compute threads (0: all cores, or MYNA_THREADS when set).</summary>
    [JsonPropertyName("threads")]
    public int Threads { get; init; }

    /// <summary>The config-file and trainer_state.json format: each property under its flag's name (attributes above), unknown names refused.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(), // ConfigKeys reads the property names from it
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        WriteIndented = true,
    };

    /// <summary>The keys a config file accepts, in declaration order: the <c>myna train</c> flag names without the dashes.</summary>
    public static IReadOnlyList<string> Keys => ConfigKeys.Names;

    /// <summary>Tokens one optimizer step consumes: B·T·accumulation.</summary>
    /// <exception cref="InvalidOperationException">The sequence length is not known yet (a fine-tune before <see cref="Resolve"/>).</exception>
    [JsonIgnore]
    public long TokensPerStep => (long)BatchSize * ResolvedSequenceLength * GradientAccumulationSteps;

    /// <summary>Optimizer steps of the whole run: from <see cref="MaxTokens"/> when set, else <see cref="MaxSteps"/>.</summary>
    /// <exception cref="InvalidOperationException">The run is measured in tokens and the sequence length is not known yet.</exception>
    [JsonIgnore]
    public int TotalSteps => MaxTokens is long tokens ? (int)Math.Min(int.MaxValue, (tokens + TokensPerStep - 1) / TokensPerStep) : MaxSteps;

    private int ResolvedSequenceLength => SequenceLength ?? (InitFrom is null
        ? DefaultSequenceLength
        : throw new InvalidOperationException("the sequence length of a fine-tune is the model's context: call Resolve with it first."));

    /// <summary>Whether <see cref="TotalSteps"/> can be computed before the fine-tuned model's context is known.</summary>
    private bool LengthKnown => MaxTokens is null || SequenceLength is not null || InitFrom is null;

    /// <summary>
    /// The options with every derived default made explicit, as a run records them in options.json and resumes them:
    /// 1. the sequence length: the fine-tuned model's context (<paramref name="pretrainedContextLength"/>) or
    ///    <see cref="DefaultSequenceLength"/>;
    /// 2. a new model's context: the sequence length;
    /// 3. the warm-up: a tenth of the run, at most <see cref="MaxDefaultWarmupSteps"/>.
    /// </summary>
    /// <param name="pretrainedContextLength">The context of the <see cref="InitFrom"/> model; needed only when fine-tuning without a sequence length.</param>
    /// <exception cref="ArgumentException">A fine-tune without a sequence length and no context to take it from.</exception>
    public TrainingOptions Resolve(int? pretrainedContextLength = null)
    {
        int sequence = SequenceLength ?? (InitFrom is null
            ? DefaultSequenceLength
            : pretrainedContextLength ?? throw new ArgumentException("a fine-tune without --seq-len needs the model's context length.", nameof(pretrainedContextLength)));
        TrainingOptions resolved = this with { SequenceLength = sequence, ContextLength = InitFrom is null ? ContextLength ?? sequence : ContextLength };
        return resolved with { WarmupSteps = WarmupSteps ?? DefaultWarmup(resolved.TotalSteps) };
    }

    /// <summary>The warm-up a run of <paramref name="totalSteps"/> gets when none is given.</summary>
    public static int DefaultWarmup(int totalSteps) => Math.Min(MaxDefaultWarmupSteps, totalSteps / 10);

    /// <summary>The shape of a model trained from scratch: the preset with any overrides, over <paramref name="vocabSize"/> ids.</summary>
    /// <exception cref="ArgumentException">The preset is unknown or the shape is invalid.</exception>
    public GptConfig ModelConfig(int vocabSize)
    {
        GptConfig preset = GptConfig.FromPreset(Preset);
        var config = preset with
        {
            VocabSize = vocabSize,
            LayerCount = Layers ?? preset.LayerCount,
            HeadCount = Heads ?? preset.HeadCount,
            EmbeddingSize = EmbeddingSize ?? preset.EmbeddingSize,
            ContextLength = ContextLength ?? SequenceLength ?? DefaultSequenceLength,
        };
        config.Validate();
        return config;
    }

    /// <summary>
    /// Reads a JSON config file over these options (keys present in the file replace the values here). Keys are the
    /// flag names (<see cref="Keys"/>); the snake_case names of earlier versions are read too.
    /// </summary>
    /// <exception cref="TrainingOptionsException">The file is missing or not JSON, or has an unknown key (the nearest valid one and the list are named) or a value of the wrong type.</exception>
    public TrainingOptions WithConfigFile(string path)
    {
        if (!File.Exists(path)) throw new TrainingOptionsException($"config file '{path}' does not exist.", isUsage: true);
        JsonNode? overlay;
        try
        {
            overlay = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            throw new TrainingOptionsException($"config file '{path}' is not valid JSON: {ex.Message}", isUsage: true);
        }
        if (overlay is not JsonObject fields) throw new TrainingOptionsException($"config file '{path}' must hold one JSON object of options.", isUsage: true);
        return ConfigKeys.Apply(this, fields, $"config file '{path}'");
    }

    /// <summary>The options as JSON (the config-file format).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Options from JSON text in the config-file format (old snake_case keys included), over the defaults.</summary>
    /// <exception cref="TrainingOptionsException">The text is not one JSON object of known keys with values of the right types.</exception>
    public static TrainingOptions FromJson(string json)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new TrainingOptionsException($"training options are not valid JSON: {ex.Message}");
        }
        return node is JsonObject fields
            ? ConfigKeys.Apply(new TrainingOptions(), fields, "training options")
            : throw new TrainingOptionsException("training options must be one JSON object.");
    }

    /// <summary>
    /// Refuses invalid values and combinations before any work starts, naming the reason by the flag (which is also
    /// the config-file key). A fine-tune's sequence length may still be unresolved; what depends on it is checked
    /// again once <see cref="Resolve"/> has run.
    /// </summary>
    /// <exception cref="TrainingOptionsException">The first problem found.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Data)) Fail("the data folder is required (--data DIR, a `myna shard` output).");
        if (string.IsNullOrWhiteSpace(Out)) Fail("the output folder is required (--out DIR).");
        if (InitFrom is null && !GptConfig.PresetNames.Contains(Preset, StringComparer.OrdinalIgnoreCase))
            Fail($"unknown preset '{Preset}'; use one of: {string.Join(", ", GptConfig.PresetNames)}.");
        AtLeast(BatchSize, 1, "--batch-size");
        if (SequenceLength is int sequence) AtLeast(sequence, 2, "--seq-len");
        AtLeast(GradientAccumulationSteps, 1, "--grad-accum");
        if (InitFrom is not null && (Layers ?? Heads ?? EmbeddingSize ?? ContextLength) is not null)
            Fail("--n-layer, --n-head, --n-embd and --n-ctx shape a new model; with --init-from the model directory fixes the shape.");
        if (InitFrom is null)
        {
            GptConfig shape;
            try
            {
                shape = ModelConfig(vocabSize: 1);
            }
            catch (ArgumentException ex)
            {
                throw new TrainingOptionsException($"model shape: {ex.Message}", isUsage: true);
            }
            int windows = SequenceLength ?? DefaultSequenceLength;
            if (windows > shape.ContextLength)
                Fail($"--seq-len {windows} exceeds the model's context length {shape.ContextLength} (--n-ctx); raise --n-ctx or lower --seq-len.");
        }
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) Fail($"--lr must be positive and finite; it is {LearningRate}.");
        if (!(MinLearningRate >= 0) || MinLearningRate > LearningRate)
            Fail($"--min-lr ({MinLearningRate}) must be in [0, --lr = {LearningRate}].");
        if (WarmupSteps is int warmup) AtLeast(warmup, 0, "--warmup");
        if (DecaySteps is int decay && decay <= (WarmupSteps ?? 0))
            Fail($"--decay-steps ({decay}) must be greater than --warmup ({WarmupSteps ?? 0}): the cosine starts after warm-up.");
        if (!(WeightDecay >= 0)) Fail($"--weight-decay must be ≥ 0; it is {WeightDecay}.");
        if (!(Dropout >= 0 && Dropout < 1)) Fail($"--dropout must be in [0, 1); it is {Dropout}.");
        if (!(Beta1 >= 0 && Beta1 < 1)) Fail($"--beta1 must be in [0, 1); it is {Beta1}.");
        if (!(Beta2 >= 0 && Beta2 < 1)) Fail($"--beta2 must be in [0, 1); it is {Beta2}.");
        if (!(Epsilon > 0)) Fail($"--eps must be positive; it is {Epsilon}.");
        if (!(GradClip >= 0)) Fail($"--grad-clip must be ≥ 0 (0 turns clipping off); it is {GradClip}.");
        if (MaxTokens is long tokens && tokens < 1) Fail($"--max-tokens must be at least 1; it is {tokens}.");
        if (LengthKnown)
        {
            AtLeast(TotalSteps, 1, "--max-steps");
            // A warm-up as long as the run never gets past it: the run would end still warming up. (A warm-up of one
            // step is none: the first step is already at the peak.)
            if (WarmupSteps is int given && given > 1 && given >= TotalSteps)
                Fail($"--warmup {given} must be below the run's {TotalSteps} steps, or the learning rate never leaves warm-up; lower --warmup or leave it out (default for {TotalSteps} steps: {DefaultWarmup(TotalSteps)}).");
        }
        AtLeast(EvalInterval, 0, "--eval-interval");
        AtLeast(EvalBatches, 1, "--eval-batches");
        AtLeast(CheckpointInterval, 0, "--checkpoint-interval");
        AtLeast(EarlyStoppingPatience, 0, "--patience");
        if (EarlyStoppingPatience > 0 && EvalInterval == 0)
            Fail("--patience needs periodic validation: set --eval-interval above 0.");
        AtLeast(LogInterval, 1, "--log-interval");
        AtLeast(Threads, 0, "--threads");
        if (Threads > 0 && ComputePool.ThreadCountRefusal(Threads) is { } tooMany) Fail($"--threads {tooMany}.");
        if (!Enum.IsDefined(DataOrder)) Fail($"--data-order must be random or sequential.");
    }

    private static void AtLeast(long value, long minimum, string name)
    {
        if (value < minimum) Fail($"{name} must be at least {minimum}; it is {value}.");
    }

    private static void Fail(string reason) => throw new TrainingOptionsException(reason, isUsage: true);
}
