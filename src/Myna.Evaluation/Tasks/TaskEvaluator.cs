using System.Diagnostics;
using System.Text.RegularExpressions;
using Myna.Evaluation.Bleu;
using Myna.Evaluation.Rouge;
using Myna.Generation;

namespace Myna.Evaluation.Tasks;

/// <summary>
/// Runs a model over a task file and scores its answers with BLEU (sacreBLEU-exact), ROUGE (rouge-score-exact) and
/// exact match. Examples are generated in batches (batched decode), greedily unless the options say otherwise.
/// </summary>
public static partial class TaskEvaluator
{
    /// <summary>Prompts generated together: one batched decode step serves them all.</summary>
    public const int BatchSize = 8;

    /// <summary>
    /// Every prompt as token ids, checked before any generation: an empty prompt or one the model's context cannot hold
    /// would otherwise stop the run at its batch, after minutes of work, with no word of which line is at fault.
    /// </summary>
    /// <exception cref="ArgumentException">A prompt is empty or too long; the message names its line.</exception>
    private static int[][] EncodePrompts(GptLanguageModel model, Myna.Text.Tokenization.GptTokenizer tokenizer, IReadOnlyList<TaskExample> examples)
    {
        int context = model.Config.ContextLength;
        var prompts = new int[examples.Count][];
        for (int i = 0; i < examples.Count; i++)
        {
            TaskExample example = examples[i];
            int[] ids = tokenizer.Encode(example.Prompt);
            if (ids.Length == 0)
                throw new ArgumentException($"task line {example.Line} (id {example.Id}): the prompt is empty; give the text the model should continue.");
            if (ids.Length >= context)
                throw new ArgumentException($"task line {example.Line} (id {example.Id}): the prompt has {ids.Length} tokens, but the model's context is {context} and must leave room for the answer; shorten it.");
            prompts[i] = ids;
        }
        return prompts;
    }

    /// <summary>Evaluates every example; <paramref name="progress"/> receives the number done.</summary>
    /// <exception cref="ArgumentException">A prompt is empty or does not fit the model's context (checked before generating).</exception>
    public static (IReadOnlyList<TaskResult> Results, TaskSummary Summary) Run(
        GptLanguageModel model, IReadOnlyList<TaskExample> examples, GenerationOptions options,
        IProgress<int>? progress = null, CancellationToken cancellation = default)
    {
        var tokenizer = model.Tokenizer ?? throw new InvalidOperationException("task evaluation needs the model's tokenizer.");
        var sentenceBleu = new BleuScorer(BleuOptions.SentenceDefaults);
        var rouge = new RougeScorer(new RougeOptions { Types = ["rouge1", "rouge2", "rougeL"] });
        var results = new List<TaskResult>(examples.Count);
        var rougeScores = new List<IReadOnlyDictionary<string, RougeScore>>();
        long generated = 0;
        int[][] prompts = EncodePrompts(model, tokenizer, examples);
        var clock = Stopwatch.StartNew();

        for (int start = 0; start < examples.Count; start += BatchSize)
        {
            cancellation.ThrowIfCancellationRequested();
            var batch = examples.Skip(start).Take(BatchSize).ToList();
            IReadOnlyList<GeneratedSequence> outputs = model.GenerateDetailed(prompts.Skip(start).Take(BatchSize).ToList(), options, cancellation);
            for (int i = 0; i < batch.Count; i++)
            {
                // With several return sequences, the first is scored.
                GeneratedSequence output = outputs[i * options.NumReturnSequences];
                generated += output.NewIds.Length;
                string prediction = output.Text.Trim();
                TaskExample example = batch[i];
                var best = example.References.Select(r => rouge.Score(r, prediction)).MaxBy(s => s["rougeL"].FMeasure)!;
                rougeScores.Add(best);
                results.Add(new TaskResult(
                    example, prediction,
                    sentenceBleu.SentenceScore(prediction, example.References).Score,
                    best["rougeL"].FMeasure,
                    example.References.Any(r => Normalize(r) == Normalize(prediction))));
            }
            progress?.Report(results.Count);
        }

        // Corpus BLEU needs reference streams of equal length; repeating an example's last reference changes neither
        // its n-gram maxima nor its closest reference length.
        int streams = examples.Max(e => e.References.Count);
        var referenceStreams = Enumerable.Range(0, streams)
            .Select(s => (IReadOnlyList<string>)examples.Select(e => e.References[Math.Min(s, e.References.Count - 1)]).ToList())
            .ToList();
        var corpusBleu = new BleuScorer();
        BleuScore corpus = corpusBleu.CorpusScore(results.Select(r => r.Prediction).ToList(), referenceStreams);
        var summary = new TaskSummary(
            results.Count, corpus.Score, corpusBleu.Signature(streams),
            rougeScores.Average(s => s["rouge1"].FMeasure), rougeScores.Average(s => s["rouge2"].FMeasure), rougeScores.Average(s => s["rougeL"].FMeasure),
            results.Count(r => r.ExactMatch) / (double)results.Count, generated, clock.Elapsed.TotalSeconds);
        return (results, summary);
    }

    private static string Normalize(string text) => Spaces().Replace(text.Trim(), " ");

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
