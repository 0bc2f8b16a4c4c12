using Myna.Apps.Support;
using Myna.Generation;
using Myna.Models.Inference;
using Myna.Tests.Generation;

namespace Myna.Tests.Apps.Support;

public sealed class QueryLikelihoodRerankerTests : IDisposable
{
    private readonly TinyModelDirectory _directory = TinyModelDirectory.Create(tiedEmbeddings: true, contextLength: 128);

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void The_mean_log_probability_equals_token_by_token_decoding()
    {
        GptLanguageModel model = GptLanguageModel.FromPretrained(_directory.Path);
        var reranker = new QueryLikelihoodReranker(SupportFixtures.Faq(), model, weight: 1);
        const string Answer = "Use reportbug.", Question = "how to report a bug";
        double scored = reranker.MeanLogProbability(Answer, Question);

        // The oracle: feed the same tokens one at a time and read each next token's log-softmax from the last row.
        int[] answerIds = model.Tokenizer!.Encode("Answer: " + Answer), questionIds = model.Tokenizer.Encode("\nQuestion: " + Question);
        var engine = new GptInference(model.InferenceWeights, 1);
        float[] last = engine.Forward(0, answerIds);
        double sum = 0;
        foreach (int id in questionIds)
        {
            double max = last.Max();
            sum += last[id] - max - Math.Log(last.Sum(l => Math.Exp(l - max)));
            last = engine.Forward(0, [id]);
        }
        Assert.Equal(sum / questionIds.Length, scored, 3);
        Assert.True(scored < 0);
    }

    [Fact]
    public void Weight_zero_keeps_the_retrieval_order_and_a_large_weight_orders_by_likelihood()
    {
        FaqKnowledgeBase faq = SupportFixtures.Faq();
        GptLanguageModel model = GptLanguageModel.FromPretrained(_directory.Path);
        using var bm25 = new Bm25Retriever(faq, new Bm25Settings());
        const string Question = "How do I report a bug in a Debian package?";
        IReadOnlyList<RetrievedEntry> found = bm25.Search(Question, "en", 10);
        Assert.True(found.Count >= 3);

        IReadOnlyList<RetrievedEntry> same = new QueryLikelihoodReranker(faq, model, weight: 0).Rerank(Question, "en", found);
        Assert.Equal(found.Select(f => f.Id), same.Select(f => f.Id));
        Assert.Equal(1.0, same[0].Score, 9); // normalised by the best retrieval score

        var byLikelihood = new QueryLikelihoodReranker(faq, model, weight: 1e6);
        IReadOnlyList<RetrievedEntry> reordered = byLikelihood.Rerank(Question, "en", found);
        double[] likelihoods = [.. reordered.Select(r => byLikelihood.MeanLogProbability(faq.Find(r.Id, "en")!.Answer, Question))];
        Assert.Equal(likelihoods.OrderDescending(), likelihoods);
        Assert.Equal(found.Select(f => f.Id).Order(), reordered.Select(r => r.Id).Order());
    }
}
