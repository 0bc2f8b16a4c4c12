using Myna.Evaluation.Perplexity;
using Myna.Evaluation.Tasks;
using Myna.Generation;
using Myna.Models.Checkpoints;
using Myna.Models.Inference;

namespace Myna.Evaluation.Comparison;

/// <summary>Measures models side by side on the same text, task and prompts, in one process.</summary>
public static class ModelComparison
{
    /// <summary>
    /// Measures every model in <paramref name="directories"/>:
    /// 1. loads them all (speed is measured in alternation, so all are held at once);
    /// 2. quality, model by model: perplexity on the comparison text and the task's scores (deterministic, so order does not matter);
    /// 3. speed: one untimed warm-up run per model (JIT compilation, caches, first-touch page faults), then
    ///    <see cref="ComparisonOptions.SpeedRuns"/> rounds in which every model runs once, the order reversed every
    ///    other round (A B, B A, A B …) so that drift of the machine (another process, clock changes) falls on every
    ///    model alike; a model's speed is its best run, and the spread of its runs is kept. Speeds come from the
    ///    scheduler's own step times, so they measure the decode loop every caller uses.
    /// </summary>
    /// <param name="directories">Model directories, in the order the report lists them.</param>
    /// <param name="names">One name per directory (null: <see cref="ComparisonNames.Distinguish"/>).</param>
    /// <param name="task">Task examples scored for every model.</param>
    /// <param name="comparisonText">Text for perplexity and for the speed prompts.</param>
    /// <param name="options">Measurement settings.</param>
    /// <param name="generation">How task answers are generated.</param>
    /// <param name="progress">Told what is being measured, one short line at a time.</param>
    /// <param name="cancellation">Stops between and within measurements.</param>
    /// <exception cref="ArgumentException">No directories, names that do not match them one to one or repeat, or fewer than one speed run.</exception>
    /// <exception cref="InvalidDataException">A directory is not a loadable model with a tokenizer (the message names it).</exception>
    public static IReadOnlyList<ModelMeasurement> Compare(IReadOnlyList<string> directories, IReadOnlyList<string>? names, IReadOnlyList<TaskExample> task,
        string comparisonText, ComparisonOptions options, GenerationOptions generation, Action<string>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(directories);
        ArgumentNullException.ThrowIfNull(options);
        if (directories.Count == 0) throw new ArgumentException("give at least one model to compare.", nameof(directories));
        if (options.SpeedRuns < 1) throw new ArgumentException($"speed runs must be at least 1; it is {options.SpeedRuns}.", nameof(options));
        if (names is not null && names.Count != directories.Count)
            throw new ArgumentException($"{names.Count} name(s) for {directories.Count} model(s): give one name per model, in the same order.", nameof(names));
        IReadOnlyList<string> labels = names ?? ComparisonNames.Distinguish(directories);
        if (labels.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } repeated)
            throw new ArgumentException($"two models are both named '{repeated.Key}': give each a different name.", nameof(names));

        // 1. Load.
        var contenders = new List<Contender>();
        for (int i = 0; i < directories.Count; i++)
        {
            progress?.Invoke($"loading {labels[i]} ({directories[i]})");
            contenders.Add(Contender.Load(labels[i], directories[i], comparisonText, options));
        }

        // 2. Quality.
        foreach (Contender c in contenders)
        {
            progress?.Invoke($"scoring {c.Name}: perplexity and {task.Count} task example(s)");
            c.Perplexity = c.TextTokens.Length >= 2 ? PerplexityEvaluator.Evaluate(c.Model, c.TextTokens, cancellation: cancellation).Perplexity : double.NaN;
            (_, c.Task) = TaskEvaluator.Run(c.Model, task, generation, cancellation: cancellation);
        }

        // 3. Speed: warm up, then alternate.
        progress?.Invoke($"timing: one warm-up run per model, then {options.SpeedRuns} round(s) in alternating order");
        foreach (Contender c in contenders) c.TimeOnce(cancellation);
        for (int round = 0; round < options.SpeedRuns; round++)
        {
            IEnumerable<Contender> order = round % 2 == 0 ? contenders : Enumerable.Reverse(contenders);
            foreach (Contender c in order)
            {
                (double prefill, double decode) = c.TimeOnce(cancellation);
                c.PrefillRuns.Add(prefill);
                c.DecodeRuns.Add(decode);
            }
        }
        return contenders.Select(c => c.Result()).ToArray();
    }

    /// <summary>
    /// The task score a comparison ranks quality by, on the metric's own scale as every Myna command prints it: BLEU on
    /// sacreBLEU's 0-100, ROUGE-L F and exact match as fractions (0-1, as rouge-score reports them).
    /// </summary>
    public static double Quality(ModelMeasurement model, string metric) => metric switch
    {
        "rouge" => model.Task.MeanRougeL,
        "exact" => model.Task.ExactMatch,
        _ => model.Task.CorpusBleu,
    };

    /// <summary><see cref="Quality"/> as printed: one decimal for BLEU, three for the fractions.</summary>
    public static string FormatQuality(double value, string metric) =>
        value.ToString(metric is "rouge" or "exact" ? "F3" : "F1", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>One model under comparison: what was loaded, and what has been measured so far.</summary>
    private sealed class Contender
    {
        public required string Name { get; init; }
        public required string Directory { get; init; }
        public required GptLanguageModel Model { get; init; }
        public required int[] TextTokens { get; init; }
        public required int[] Prompt { get; init; }
        public required int NewTokens { get; init; }
        public required GptInference Engine { get; init; }
        public double Perplexity { get; set; } = double.NaN;
        public TaskSummary? Task { get; set; }
        public List<double> PrefillRuns { get; } = [];
        public List<double> DecodeRuns { get; } = [];

        public static Contender Load(string name, string directory, string comparisonText, ComparisonOptions options)
        {
            GptLanguageModel model;
            try
            {
                model = GptLanguageModel.FromPretrained(directory);
            }
            catch (Exception ex) when (ex is ModelFormatException or SafeTensorsFormatException or IOException)
            {
                throw new InvalidDataException($"'{directory}': {ex.Message}", ex);
            }
            var tokenizer = model.Tokenizer ?? throw new InvalidDataException($"'{directory}' has no tokenizer files.");
            int[] textTokens = tokenizer.Encode(comparisonText);
            if (textTokens.Length > options.PerplexityTokens) textTokens = textTokens[..options.PerplexityTokens];
            // The speed prompt is cut from the comparison text (repeated if short) and limited by the model's context:
            // a model with a short context gets a proportionally shorter measurement.
            int newTokens = Math.Min(options.NewTokens, model.Config.ContextLength / 2);
            int promptLength = Math.Min(options.PromptTokens, model.Config.ContextLength - newTokens);
            int[] prompt = Enumerable.Range(0, promptLength).Select(i => textTokens.Length > 0 ? textTokens[i % textTokens.Length] : 0).ToArray();
            return new Contender
            {
                Name = name, Directory = directory, Model = model, TextTokens = textTokens, Prompt = prompt, NewTokens = newTokens,
                Engine = new GptInference(model.InferenceWeights), // the model's own conversion; only this cache is new
            };
        }

        /// <summary>
        /// One greedy generation of <see cref="NewTokens"/> after the prompt, through the model's own scheduler (the
        /// one decode loop): (prefill, decode) tokens per second, each from the time of the scheduler steps that did
        /// that work, as the steps report it: prompt tokens over the steps that fed them, sampled tokens over the
        /// steps that only decoded.
        /// </summary>
        public (double Prefill, double Decode) TimeOnce(CancellationToken cancellation)
        {
            long prefillRows = 0, decodeRows = 0;
            TimeSpan prefillTime = TimeSpan.Zero, decodeTime = TimeSpan.Zero;
            var gate = new object();
            void Count(SchedulerStep step)
            {
                lock (gate)
                {
                    if (step.PrefillRows > 0)
                    {
                        prefillRows += step.PrefillRows;
                        prefillTime += step.StepTime;
                    }
                    else
                    {
                        decodeRows += step.DecodeRows;
                        decodeTime += step.StepTime;
                    }
                }
            }
            Model.Scheduler.StepCompleted += Count;
            try
            {
                Model.GenerateDetailed([Prompt], new GenerationOptions { MaxNewTokens = NewTokens, StopAtEndOfText = false }, cancellation);
            }
            finally
            {
                Model.Scheduler.StepCompleted -= Count;
            }
            lock (gate)
                return (prefillRows / Math.Max(1e-9, prefillTime.TotalSeconds), decodeRows / Math.Max(1e-9, decodeTime.TotalSeconds));
        }

        public ModelMeasurement Result()
        {
            long memory = (long)Model.Weights.Values.Length * sizeof(float) + Engine.CacheBytes;
            long fileBytes = new FileInfo(Path.Combine(Directory, GptCheckpoint.WeightsFileName)).Length;
            return new ModelMeasurement(Name, Directory, Model.Weights.Values.Length, fileBytes, memory,
                new SpeedSamples(PrefillRuns.ToArray()), new SpeedSamples(DecodeRuns.ToArray()), Perplexity, Task!);
        }
    }
}
