using System.Diagnostics;
using Myna.Evaluation.Perplexity;
using Myna.Evaluation.Tasks;
using Myna.Generation;
using Myna.Models.Checkpoints;
using Myna.Models.Inference;

namespace Myna.Evaluation.Comparison;

/// <summary>Measures models side by side on the same text, task and prompts, one after another in one process.</summary>
public static class ModelComparison
{
    /// <summary>Measures one model directory.</summary>
    public static ModelMeasurement Measure(string directory, IReadOnlyList<TaskExample> task, string comparisonText, ComparisonOptions options,
        GenerationOptions generation, CancellationToken cancellation = default)
    {
        GptLanguageModel model = GptLanguageModel.FromPretrained(directory);
        var tokenizer = model.Tokenizer ?? throw new InvalidOperationException($"'{directory}' has no tokenizer files.");
        string name = Path.GetFileName(Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar));

        int[] textTokens = tokenizer.Encode(comparisonText);
        if (textTokens.Length > options.PerplexityTokens) textTokens = textTokens[..options.PerplexityTokens];
        double perplexity = textTokens.Length >= 2 ? PerplexityEvaluator.Evaluate(model, textTokens, cancellation: cancellation).Perplexity : double.NaN;

        // Speed: a prompt cut from the comparison text (repeated if short), limited by the model's context.
        // A model with a short context gets a proportionally shorter measurement.
        int newTokens = Math.Min(options.NewTokens, model.Config.ContextLength / 2);
        int promptLength = Math.Min(options.PromptTokens, model.Config.ContextLength - newTokens);
        int[] prompt = Enumerable.Range(0, promptLength).Select(i => textTokens.Length > 0 ? textTokens[i % textTokens.Length] : 0).ToArray();
        var engine = new GptInference(model.InferenceWeights); // the model's own conversion; only this cache is new
        double prefill = 0, decode = 0;
        for (int round = 0; round < 3; round++)
        {
            engine.Reset(0);
            long start = Stopwatch.GetTimestamp();
            engine.Forward(0, prompt);
            prefill = Math.Max(prefill, prompt.Length / Stopwatch.GetElapsedTime(start).TotalSeconds);

            start = Stopwatch.GetTimestamp();
            IReadOnlyList<GeneratedSequence> run = model.GenerateDetailed([prompt], new GenerationOptions { MaxNewTokens = newTokens, StopAtEndOfText = false }, cancellation);
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            // Generation includes one prefill; take it out so this is decode speed alone.
            double decodeSeconds = Math.Max(1e-9, seconds - prompt.Length / prefill);
            decode = Math.Max(decode, run[0].NewIds.Length / decodeSeconds);
        }

        (_, TaskSummary summary) = TaskEvaluator.Run(model, task, generation, cancellation: cancellation);
        long memory = (long)model.Weights.Values.Length * sizeof(float) + engine.CacheBytes;
        long fileBytes = new FileInfo(Path.Combine(directory, GptCheckpoint.WeightsFileName)).Length;
        return new ModelMeasurement(name, directory, model.Weights.Values.Length, fileBytes, memory, prefill, decode, perplexity, summary);
    }

    /// <summary>The task score a comparison ranks quality by, on a 0-100 scale.</summary>
    public static double Quality(ModelMeasurement model, string metric) => metric switch
    {
        "rouge" => model.Task.MeanRougeL * 100,
        "exact" => model.Task.ExactMatch * 100,
        _ => model.Task.CorpusBleu,
    };
}
