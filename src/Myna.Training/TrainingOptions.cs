using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Myna.Models;

namespace Myna.Training;

/// <summary>
/// Every setting of a training run, each default in exactly one place with its reason. A JSON config file uses the
/// snake_case names (<c>{"batch_size": 16, "learning_rate": 3e-4}</c>); command-line flags override the file.
/// Defaults follow nanoGPT/llm.c's GPT-2 recipe, scaled for a laptop CPU.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>Folder of token shards written by <c>myna shard</c> (train-*.bin, val-*.bin, meta.json); required.</summary>
    public string? Data { get; init; }

    /// <summary>Output folder: checkpoints (last/, best/), metrics.jsonl, loss.png, report.md; required.</summary>
    public string? Out { get; init; }

    /// <summary>Model shape when training from scratch (tiny: trains in minutes on a CPU); the vocabulary comes from the shards.</summary>
    public string Preset { get; init; } = "tiny";

    /// <summary>Transformer blocks, overriding the preset's (null: the preset decides the shape).</summary>
    public int? Layers { get; init; }

    /// <summary>Attention heads per block, overriding the preset's (null: the preset's).</summary>
    public int? Heads { get; init; }

    /// <summary>Residual-stream width, overriding the preset's (null: the preset's).</summary>
    public int? EmbeddingSize { get; init; }

    /// <summary>Longest sequence the position table covers, overriding the preset's (null: the preset's).</summary>
    public int? ContextLength { get; init; }

    /// <summary>A model directory to fine-tune instead of a fresh model (null: from scratch, as pre-training is the default).</summary>
    public string? InitFrom { get; init; }

    /// <summary>Tokenizer folder to copy into checkpoints (null: the one meta.json names, so the shards and model agree).</summary>
    public string? Tokenizer { get; init; }

    /// <summary>Sequences per micro-batch, B (8: fills the cores of a laptop without blowing the cache-friendly activation size).</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>Tokens per sequence, T (256: fits every preset's context; tiny's is 256).</summary>
    public int SequenceLength { get; init; } = 256;

    /// <summary>Micro-batches summed into one optimizer step (1: a step is one batch unless a larger effective batch is asked for).</summary>
    public int GradientAccumulationSteps { get; init; } = 1;

    /// <summary>Peak learning rate (6e-4: nanoGPT's GPT-2 124M value).</summary>
    public double LearningRate { get; init; } = 6e-4;

    /// <summary>Learning rate at the end of the cosine decay (6e-5: a tenth of the peak, as in Chinchilla and nanoGPT).</summary>
    public double MinLearningRate { get; init; } = 6e-5;

    /// <summary>Steps of linear warm-up from zero to the peak (100: enough for Adam's moment estimates to settle on small runs).</summary>
    public int WarmupSteps { get; init; } = 100;

    /// <summary>Step at which the cosine reaches the minimum (null: the run's last step, as nanoGPT's lr_decay_iters = max_iters).</summary>
    public int? DecaySteps { get; init; }

    /// <summary>Decoupled weight decay on 2-D tensors (0.1: GPT-3 and nanoGPT).</summary>
    public double WeightDecay { get; init; } = 0.1;

    /// <summary>Adam β1 (0.9: the universal default).</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Adam β2 (0.95: GPT-3's value, steadier than 0.999 for language models).</summary>
    public double Beta2 { get; init; } = 0.95;

    /// <summary>Adam ε (1e-8: PyTorch's default).</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>Global gradient-norm clip (1.0: GPT-3 and nanoGPT; 0 turns clipping off).</summary>
    public double GradClip { get; init; } = 1.0;

    /// <summary>Optimizer steps to run (1000: a few minutes for the tiny preset).</summary>
    public int MaxSteps { get; init; } = 1000;

    /// <summary>Tokens to train on; when set it replaces <see cref="MaxSteps"/> (null: the step count decides).</summary>
    public long? MaxTokens { get; init; }

    /// <summary>Steps between validation passes (100: a curve with enough points without spending much time on eval; 0: only at the end).</summary>
    public int EvalInterval { get; init; } = 100;

    /// <summary>Validation batches per pass (20: a stable estimate; the same batches every time so passes compare).</summary>
    public int EvalBatches { get; init; } = 20;

    /// <summary>Steps between checkpoints (500: at most a few minutes of work lost on a crash; 0: only at the end).</summary>
    public int CheckpointInterval { get; init; } = 500;

    /// <summary>Validation passes without a new best before stopping (0: never stop early, training runs to the end).</summary>
    public int EarlyStoppingPatience { get; init; }

    /// <summary>Steps between progress lines and metrics.jsonl records (10: readable logs, negligible cost).</summary>
    public int LogInterval { get; init; } = 10;

    /// <summary>Order of training windows (random: the usual i.i.d. sampling; sequential reads the shards in order).</summary>
    public DataOrder DataOrder { get; init; } = DataOrder.Random;

    /// <summary>Seed for initial weights and data order (1337: nanoGPT's; any fixed value makes runs repeatable).</summary>
    public ulong Seed { get; init; } = 1337;

    /// <summary>Compute threads (0: all cores, or MYNA_THREADS when set).</summary>
    public int Threads { get; init; }

    /// <summary>Names accepted in a config file and in trainer_state.json: snake_case, unknown names refused.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        WriteIndented = true,
    };

    /// <summary>Tokens one optimizer step consumes: B·T·accumulation.</summary>
    [JsonIgnore]
    public long TokensPerStep => (long)BatchSize * SequenceLength * GradientAccumulationSteps;

    /// <summary>Optimizer steps of the whole run: from <see cref="MaxTokens"/> when set, else <see cref="MaxSteps"/>.</summary>
    [JsonIgnore]
    public int TotalSteps => MaxTokens is long tokens ? (int)Math.Min(int.MaxValue, (tokens + TokensPerStep - 1) / TokensPerStep) : MaxSteps;

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
            ContextLength = ContextLength ?? preset.ContextLength,
        };
        config.Validate();
        return config;
    }

    /// <summary>Reads a JSON config file over these options (keys present in the file replace the values here).</summary>
    /// <exception cref="TrainingOptionsException">The file is missing, not JSON, or has an unknown key or a wrong type.</exception>
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
        var merged = (JsonObject)JsonSerializer.SerializeToNode(this, JsonOptions)!;
        foreach ((string key, JsonNode? value) in fields) merged[key] = value?.DeepClone();
        try
        {
            return merged.Deserialize<TrainingOptions>(JsonOptions)!;
        }
        catch (JsonException ex)
        {
            throw new TrainingOptionsException($"config file '{path}': {ex.Message}", isUsage: true);
        }
    }

    /// <summary>The options as JSON (the config-file format).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Options from JSON text in the config-file format.</summary>
    public static TrainingOptions FromJson(string json) => JsonSerializer.Deserialize<TrainingOptions>(json, JsonOptions)!;

    /// <summary>Refuses invalid values and combinations before any work starts, naming the reason.</summary>
    /// <exception cref="TrainingOptionsException">The first problem found.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Data)) Fail("the data folder is required (--data DIR, a `myna shard` output).");
        if (string.IsNullOrWhiteSpace(Out)) Fail("the output folder is required (--out DIR).");
        if (InitFrom is null && !GptConfig.PresetNames.Contains(Preset, StringComparer.OrdinalIgnoreCase))
            Fail($"unknown preset '{Preset}'; use one of: {string.Join(", ", GptConfig.PresetNames)}.");
        AtLeast(BatchSize, 1, "batch_size (--batch-size)");
        AtLeast(SequenceLength, 2, "sequence_length (--seq-len)");
        AtLeast(GradientAccumulationSteps, 1, "gradient_accumulation_steps");
        if (InitFrom is not null && (Layers ?? Heads ?? EmbeddingSize ?? ContextLength) is not null)
            Fail("layers, heads, embedding_size and context_length shape a new model; with --init-from the model directory fixes the shape.");
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
            if (SequenceLength > shape.ContextLength)
                Fail($"sequence_length {SequenceLength} exceeds the model's context length {shape.ContextLength} (preset '{Preset}'; raise context_length or lower --seq-len).");
        }
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) Fail($"learning_rate must be positive and finite; it is {LearningRate}.");
        if (!(MinLearningRate >= 0) || MinLearningRate > LearningRate)
            Fail($"min_learning_rate ({MinLearningRate}) must be in [0, learning_rate = {LearningRate}].");
        AtLeast(WarmupSteps, 0, "warmup_steps");
        if (DecaySteps is int decay && decay <= WarmupSteps)
            Fail($"decay_steps ({decay}) must be greater than warmup_steps ({WarmupSteps}): the cosine starts after warm-up.");
        if (!(WeightDecay >= 0)) Fail($"weight_decay must be ≥ 0; it is {WeightDecay}.");
        if (!(Beta1 >= 0 && Beta1 < 1)) Fail($"beta1 must be in [0, 1); it is {Beta1}.");
        if (!(Beta2 >= 0 && Beta2 < 1)) Fail($"beta2 must be in [0, 1); it is {Beta2}.");
        if (!(Epsilon > 0)) Fail($"epsilon must be positive; it is {Epsilon}.");
        if (!(GradClip >= 0)) Fail($"grad_clip must be ≥ 0 (0 turns clipping off); it is {GradClip}.");
        if (MaxTokens is long tokens && tokens < 1) Fail($"max_tokens must be at least 1; it is {tokens}.");
        AtLeast(TotalSteps, 1, "max_steps (--max-steps)");
        AtLeast(EvalInterval, 0, "eval_interval (--eval-interval)");
        AtLeast(EvalBatches, 1, "eval_batches");
        AtLeast(CheckpointInterval, 0, "checkpoint_interval (--checkpoint-interval)");
        AtLeast(EarlyStoppingPatience, 0, "early_stopping_patience");
        if (EarlyStoppingPatience > 0 && EvalInterval == 0)
            Fail("early_stopping_patience needs periodic validation: set eval_interval (--eval-interval) above 0.");
        AtLeast(LogInterval, 1, "log_interval");
        AtLeast(Threads, 0, "threads (--threads)");
        if (!Enum.IsDefined(DataOrder)) Fail($"data_order must be random or sequential.");
    }

    private static void AtLeast(long value, long minimum, string name)
    {
        if (value < minimum) Fail($"{name} must be at least {minimum}; it is {value}.");
    }

    private static void Fail(string reason) => throw new TrainingOptionsException(reason, isUsage: true);
}
