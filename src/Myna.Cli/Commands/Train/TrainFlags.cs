using System.CommandLine;
using Myna.Training;

namespace Myna.Cli.Commands.Train;

/// <summary>
/// The <c>myna train</c> flags, one per <see cref="TrainingOptions"/> property and named as its config-file key
/// (<see cref="TrainingOptions.Keys"/>). Flags carry no defaults of their own: a flag that is not given leaves the
/// value from the config file, the resumed run or <see cref="TrainingOptions"/>.
/// </summary>
internal sealed class TrainFlags
{
    // The help text shows the defaults from their one place, never restated.
    private static readonly TrainingOptions D = new();

    public Option<string> Data { get; } = new("--data", "-d") { Description = "Token shard folder from `myna shard` (train-*.bin, val-*.bin, meta.json)." };
    public Option<string> Out { get; } = new("--out", "-o") { Description = "Output folder: last/ and best/ checkpoints, metrics.jsonl, loss.png, report.md." };
    public Option<string> Preset { get; } = new("--preset") { Description = $"Model size from scratch: tiny, small, gpt2 (124M), gpt2-medium, gpt2-large, gpt2-xl. Default {D.Preset}. The context is --n-ctx." };
    public Option<int> Layers { get; } = new("--n-layer") { Description = "Transformer blocks, overriding the preset." };
    public Option<int> Heads { get; } = new("--n-head") { Description = "Attention heads, overriding the preset." };
    public Option<int> EmbeddingSize { get; } = new("--n-embd") { Description = "Residual width, overriding the preset." };
    public Option<int> ContextLength { get; } = new("--n-ctx") { Description = "Context length (position table) of a new model. Default: --seq-len, so every position is trained." };
    public Option<string> InitFrom { get; } = new("--init-from") { Description = "Fine-tune this model directory (keeps its tokenizer; the shards must use the same one)." };
    public Option<string> Tokenizer { get; } = new("--tokenizer") { Description = "Tokenizer folder to ship in checkpoints. Default: the one meta.json names." };
    public Option<int> BatchSize { get; } = new("--batch-size", "-b") { Description = $"Sequences per micro-batch (B). Default {D.BatchSize}." };
    public Option<int> SequenceLength { get; } = new("--seq-len", "-t") { Description = $"Tokens per sequence (T). Default: the model's context with --init-from, else {TrainingOptions.DefaultSequenceLength}." };
    public Option<int> GradientAccumulation { get; } = new("--grad-accum") { Description = $"Micro-batches per optimizer step. Default {D.GradientAccumulationSteps}." };
    public Option<double> LearningRate { get; } = new("--lr") { Description = $"Peak learning rate. Default {D.LearningRate:G}." };
    public Option<double> MinLearningRate { get; } = new("--min-lr") { Description = $"Learning rate at the end of the cosine decay. Default {D.MinLearningRate:G}." };
    public Option<int> WarmupSteps { get; } = new("--warmup") { Description = $"Linear warm-up steps; must be below the run's steps. Default: a tenth of the run, at most {TrainingOptions.MaxDefaultWarmupSteps}." };
    public Option<int> DecaySteps { get; } = new("--decay-steps") { Description = "Step where the cosine reaches --min-lr. Default: the last step." };
    public Option<double> WeightDecay { get; } = new("--weight-decay") { Description = $"AdamW weight decay on 2-D tensors. Default {D.WeightDecay:G}." };
    public Option<double> Dropout { get; } = new("--dropout") { Description = $"Dropout probability on the embeddings and each block's attention and MLP outputs (GPT-2's embd_pdrop, resid_pdrop), in [0, 1); 0.1 is GPT-2's fine-tuning value. Default {D.Dropout:G}." };
    public Option<double> Beta1 { get; } = new("--beta1") { Description = $"Adam β1. Default {D.Beta1:G}." };
    public Option<double> Beta2 { get; } = new("--beta2") { Description = $"Adam β2. Default {D.Beta2:G}." };
    public Option<double> Epsilon { get; } = new("--eps") { Description = $"Adam ε. Default {D.Epsilon:G}." };
    public Option<double> GradClip { get; } = new("--grad-clip") { Description = $"Global gradient-norm clip; 0 turns it off. Default {D.GradClip:G}." };
    public Option<int> MaxSteps { get; } = new("--max-steps") { Description = $"Optimizer steps. Default {D.MaxSteps}." };
    public Option<long> MaxTokens { get; } = new("--max-tokens") { Description = "Training tokens; replaces --max-steps (steps = tokens / (B·T·accum), rounded up)." };
    public Option<int> EvalInterval { get; } = new("--eval-interval") { Description = $"Steps between validation passes (one also runs before the first step); 0: only at the start and end. Default {D.EvalInterval}." };
    public Option<int> EvalBatches { get; } = new("--eval-batches") { Description = $"Validation batches per pass. Default {D.EvalBatches}." };
    public Option<int> CheckpointInterval { get; } = new("--checkpoint-interval") { Description = $"Steps between checkpoints; 0: only at the end. Default {D.CheckpointInterval}." };
    public Option<int> Patience { get; } = new("--patience") { Description = $"Stop after this many validation passes without a new best; 0: never. Default {D.EarlyStoppingPatience}." };
    public Option<int> LogInterval { get; } = new("--log-interval") { Description = $"Steps between progress lines and metrics.jsonl records. Default {D.LogInterval}." };
    public Option<string> DataOrder { get; } = new("--data-order") { Description = $"random (a seeded permutation each epoch) or sequential. Default {D.DataOrder.ToString().ToLowerInvariant()}." };
    public Option<ulong> Seed { get; } = new("--seed") { Description = $"Seed for initial weights and data order. Default {D.Seed}." };
    public Option<int> Threads { get; } = new("--threads") { Description = $"Compute threads; 0: all cores (or MYNA_THREADS). Default {D.Threads}." };

    public void AddTo(Command command)
    {
        foreach (Option option in All) command.Options.Add(option);
        DataOrder.AcceptOnlyFromAmong("random", "sequential");
        command.Validators.Add(result =>
        {
            if (result.GetResult(MaxSteps) is not null && result.GetResult(MaxTokens) is not null)
                result.AddError("--max-steps and --max-tokens both set the run's length: give one of them");
        });
    }

    public IEnumerable<Option> All =>
    [
        Data, Out, Preset, Layers, Heads, EmbeddingSize, ContextLength, InitFrom, Tokenizer, BatchSize, SequenceLength, GradientAccumulation, LearningRate, MinLearningRate, WarmupSteps,
        DecaySteps, WeightDecay, Dropout, Beta1, Beta2, Epsilon, GradClip, MaxSteps, MaxTokens, EvalInterval, EvalBatches, CheckpointInterval,
        Patience, LogInterval, DataOrder, Seed, Threads,
    ];

    /// <summary>The options with every flag that was given applied over <paramref name="options"/>.</summary>
    public TrainingOptions Apply(ParseResult parsed, TrainingOptions options)
    {
        bool Given(Option option) => parsed.GetResult(option) is not null;
        if (Given(Data)) options = options with { Data = parsed.GetValue(Data) };
        if (Given(Out)) options = options with { Out = parsed.GetValue(Out) };
        if (Given(Preset)) options = options with { Preset = parsed.GetValue(Preset)! };
        if (Given(Layers)) options = options with { Layers = parsed.GetValue(Layers) };
        if (Given(Heads)) options = options with { Heads = parsed.GetValue(Heads) };
        if (Given(EmbeddingSize)) options = options with { EmbeddingSize = parsed.GetValue(EmbeddingSize) };
        if (Given(ContextLength)) options = options with { ContextLength = parsed.GetValue(ContextLength) };
        if (Given(InitFrom)) options = options with { InitFrom = parsed.GetValue(InitFrom) };
        if (Given(Tokenizer)) options = options with { Tokenizer = parsed.GetValue(Tokenizer) };
        if (Given(BatchSize)) options = options with { BatchSize = parsed.GetValue(BatchSize) };
        if (Given(SequenceLength)) options = options with { SequenceLength = parsed.GetValue(SequenceLength) };
        if (Given(GradientAccumulation)) options = options with { GradientAccumulationSteps = parsed.GetValue(GradientAccumulation) };
        if (Given(LearningRate)) options = options with { LearningRate = parsed.GetValue(LearningRate) };
        if (Given(MinLearningRate)) options = options with { MinLearningRate = parsed.GetValue(MinLearningRate) };
        if (Given(WarmupSteps)) options = options with { WarmupSteps = parsed.GetValue(WarmupSteps) };
        if (Given(DecaySteps)) options = options with { DecaySteps = parsed.GetValue(DecaySteps) };
        if (Given(WeightDecay)) options = options with { WeightDecay = parsed.GetValue(WeightDecay) };
        if (Given(Dropout)) options = options with { Dropout = parsed.GetValue(Dropout) };
        if (Given(Beta1)) options = options with { Beta1 = parsed.GetValue(Beta1) };
        if (Given(Beta2)) options = options with { Beta2 = parsed.GetValue(Beta2) };
        if (Given(Epsilon)) options = options with { Epsilon = parsed.GetValue(Epsilon) };
        if (Given(GradClip)) options = options with { GradClip = parsed.GetValue(GradClip) };
        // The two length settings replace each other: the one given wins over what a config file or a resumed run said.
        if (Given(MaxSteps)) options = options with { MaxSteps = parsed.GetValue(MaxSteps), MaxTokens = null };
        if (Given(MaxTokens)) options = options with { MaxTokens = parsed.GetValue(MaxTokens) };
        if (Given(EvalInterval)) options = options with { EvalInterval = parsed.GetValue(EvalInterval) };
        if (Given(EvalBatches)) options = options with { EvalBatches = parsed.GetValue(EvalBatches) };
        if (Given(CheckpointInterval)) options = options with { CheckpointInterval = parsed.GetValue(CheckpointInterval) };
        if (Given(Patience)) options = options with { EarlyStoppingPatience = parsed.GetValue(Patience) };
        if (Given(LogInterval)) options = options with { LogInterval = parsed.GetValue(LogInterval) };
        if (Given(DataOrder)) options = options with { DataOrder = Enum.Parse<Training.DataOrder>(parsed.GetValue(DataOrder)!, ignoreCase: true) };
        if (Given(Seed)) options = options with { Seed = parsed.GetValue(Seed) };
        if (Given(Threads)) options = options with { Threads = parsed.GetValue(Threads) };
        return options;
    }
}
