using System.Numerics.Tensors;
using Myna.Generation;
using Myna.Models.Inference;

namespace Myna.Apps.Support;

/// <summary>
/// Re-ranks a retriever's top entries by query likelihood: the mean log-probability per token of the user's question
/// after the entry's answer, log P(question | answer), from one forward pass with logits at every position
/// (<see cref="GptInference.Forward(ReadOnlySpan{int}, ReadOnlySpan{int}, ReadOnlySpan{int}, Span{float}, bool, ReadOnlySpan{bool}, ReadOnlySpan{bool})"/>),
/// combined with the retriever's score: <c>score / best score + <see cref="Weight"/> × mean log P</c>.
/// The answer is cut from its end so that answer and question fit the model's context. Used only where it wins on
/// dev; neither the shipped default model nor that model fine-tuned on FAQ + Debian Reference text
/// (recipes/support-reranker.sh) does.
/// </summary>
public sealed class QueryLikelihoodReranker
{
    /// <summary>Question tokens scored at most; longer questions are cut (their start carries the topic).</summary>
    public const int MaxQuestionTokens = 64;

    private readonly FaqKnowledgeBase _knowledgeBase;
    private readonly GptLanguageModel _model;
    private readonly GptInference _engine;
    private readonly Lock _gate = new(); // one engine, one cache slot: one scoring at a time

    /// <summary>A re-ranker scoring <paramref name="knowledgeBase"/>'s answers with <paramref name="model"/>.</summary>
    /// <exception cref="ArgumentException">The model has no tokenizer, or the weight is negative.</exception>
    public QueryLikelihoodReranker(FaqKnowledgeBase knowledgeBase, GptLanguageModel model, double weight)
    {
        _knowledgeBase = knowledgeBase ?? throw new ArgumentNullException(nameof(knowledgeBase));
        _model = model ?? throw new ArgumentNullException(nameof(model));
        if (model.Tokenizer is null) throw new ArgumentException("the re-ranking model has no tokenizer.");
        if (!(weight >= 0)) throw new ArgumentException($"the re-ranking weight must be 0 or more, not {weight}.");
        Weight = weight;
        _engine = new GptInference(model.InferenceWeights, 1);
    }

    /// <summary>How much the mean log-probability counts against the normalised retrieval score.</summary>
    public double Weight { get; }

    /// <summary><paramref name="found"/> (a retriever's ranking for <paramref name="query"/>) in the new order, each with its combined score.</summary>
    public IReadOnlyList<RetrievedEntry> Rerank(string query, string lang, IReadOnlyList<RetrievedEntry> found)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(found);
        if (found.Count < 2) return found;
        double best = found[0].Score;
        var rescored = new List<RetrievedEntry>(found.Count);
        foreach (RetrievedEntry entry in found)
        {
            string answer = _knowledgeBase.Find(entry.Id, lang)!.Answer;
            double logP = MeanLogProbability(answer, query);
            rescored.Add(entry with { Score = entry.Score / best + Weight * logP });
        }
        return [.. rescored.OrderByDescending(e => e.Score)];
    }

    /// <summary>Mean log P(question token | answer, earlier question tokens) over the question's tokens.</summary>
    public double MeanLogProbability(string answer, string question)
    {
        var tokenizer = _model.Tokenizer!;
        int context = _model.Config.ContextLength;
        // The question keeps at most half the context, so the answer it is conditioned on always has room.
        int maxQuestion = Math.Min(MaxQuestionTokens, context / 2);
        int[] questionIds = tokenizer.Encode("\nQuestion: " + question.Trim());
        if (questionIds.Length > maxQuestion) questionIds = questionIds[..maxQuestion];
        int[] answerIds = tokenizer.Encode("Answer: " + answer.Trim());
        int room = context - questionIds.Length;
        if (answerIds.Length > room) answerIds = answerIds[..room];
        int[] tokens = [.. answerIds, .. questionIds];
        int vocab = _model.Config.VocabSize;
        var logits = new float[tokens.Length * vocab];
        var scratch = new float[vocab];
        lock (_gate)
        {
            _engine.Reset(0);
            _engine.Forward([0], [tokens.Length], tokens, logits, allPositions: true);
        }
        // Row r predicts token r + 1: the question's tokens are predicted by rows answerIds.Length - 1 onwards.
        double sum = 0;
        for (int r = answerIds.Length - 1; r < tokens.Length - 1; r++)
        {
            ReadOnlySpan<float> row = logits.AsSpan(r * vocab, vocab);
            float max = TensorPrimitives.Max(row);
            TensorPrimitives.Subtract(row, max, scratch);
            TensorPrimitives.Exp(scratch, scratch);
            sum += row[tokens[r + 1]] - max - Math.Log(TensorPrimitives.Sum<float>(scratch));
        }
        return sum / questionIds.Length;
    }
}
