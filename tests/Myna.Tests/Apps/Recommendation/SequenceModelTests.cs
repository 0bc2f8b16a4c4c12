using System.Text.Json;
using Myna.Apps.Recommendation;
using Myna.Text.Shards;

namespace Myna.Tests.Apps.Recommendation;

/// <summary>The item-token model end to end on the synthetic log: shards, the ordinary trainer, the cache, inference.</summary>
public sealed class SequenceModelTests : IDisposable
{
    /// <summary>A model small enough to train in a couple of seconds, with enough steps to learn the log's series.</summary>
    internal static readonly SequenceModelSettings Tiny = new()
    {
        Layers = 1, Heads = 2, EmbeddingSize = 32, Context = 48, BatchSize = 8, Steps = 150, LearningRate = 3e-3,
    };

    private static readonly RecommendationProtocol Protocol = new() { SampledNegatives = 20, BootstrapResamples = 200 };

    private readonly string _cache = Directory.CreateTempSubdirectory("myna-recommend-").FullName;

    public void Dispose() => Directory.Delete(_cache, recursive: true);

    [Fact]
    public void Item_shards_say_items_and_hold_each_users_training_part_after_the_end_token()
    {
        InteractionLog log = new SyntheticLog { Users = 20 }.Generate();
        SequentialDataset data = SequentialDataset.Build(log, Protocol);
        string folder = Path.Combine(_cache, "shards");
        ShardMeta meta = ItemShards.Write(data, folder);
        Assert.True(meta.Tokenizer.IsItemVocabulary);
        Assert.Equal(data.Vocabulary.TokenCount, meta.Tokenizer.VocabSize);
        ShardMeta read = JsonSerializer.Deserialize<ShardMeta>(File.ReadAllText(Path.Combine(folder, "meta.json")))!;
        Assert.Equal(ShardMeta.TokenizerInfo.ItemsKind, read.Tokenizer.Kind);
        using TokenShard shard = TokenShard.Open(Path.Combine(folder, ItemShards.TrainFileName));
        int eos = data.Vocabulary.EndOfSequence;
        int[] expected = [.. data.Users.SelectMany(u => (int[])[eos, .. u.Train.ToArray()]), eos];
        Assert.Equal(expected, shard.ToArray());
    }

    [Fact]
    public void Trains_with_the_trainer_caches_by_data_and_learns_more_than_popularity()
    {
        InteractionLog log = new SyntheticLog().Generate();
        SequentialDataset data = SequentialDataset.Build(log, Protocol);
        SequenceModel model = SequenceModelTrainer.TrainOrLoad(data, log, Protocol, Tiny, _cache, out bool trained);
        Assert.True(trained);
        Assert.Equal(Tiny.Steps, model.Info.Steps);
        Assert.Equal(data.Vocabulary.TokenCount, model.Config.VocabSize);
        Assert.Equal(data.Vocabulary.ItemIds, model.Vocabulary.ItemIds);
        Assert.Single(Directory.GetDirectories(_cache)); // shards and the trainer's run are gone; only the model folder stays
        Assert.Equal([SequenceModelTrainer.ModelFolderName], Directory.GetDirectories(model.Folder).Select(Path.GetFileName));
        Assert.Equal([SequenceModelInfo.FileName, TransitionTable.FileName], Directory.GetFiles(model.Folder).Select(Path.GetFileName).Order());

        SequenceModel again = SequenceModelTrainer.TrainOrLoad(data, log, Protocol, Tiny, _cache, out bool trainedAgain);
        Assert.False(trainedAgain);
        Assert.Equal(model.Folder, again.Folder);
        Assert.NotEqual(model.Folder, SequenceModelTrainer.CachedFolder(_cache, new SyntheticLog { Seed = 8 }.Generate(), Protocol, Tiny));

        SystemEvaluation evaluated = RankingEvaluator.Evaluate(model, data, Protocol, EvaluationSplit.Test);
        SystemEvaluation popularity = RankingEvaluator.Evaluate(new PopularityRecommender(data.TrainCounts), data, Protocol, EvaluationSplit.Test);
        Assert.True(evaluated.Full.Ndcg > popularity.Full.Ndcg, $"model {evaluated.Full.Ndcg:F3} vs popularity {popularity.Full.Ndcg:F3}");

        // Batched scoring equals one user at a time.
        ReadOnlyMemory<int>[] histories = [.. data.Users.Take(40).Select(u => RankingEvaluator.History(u, EvaluationSplit.Test, Protocol.HistoryCap))];
        int items = data.Vocabulary.Count;
        var batched = new float[histories.Length * items];
        model.Score(histories, batched);
        var alone = new float[items];
        model.Score([histories[37]], alone);
        Assert.Equal(alone, batched.AsSpan(37 * items, items).ToArray());

        // The folder serves the hybrid at the weight that scored best on the validation item, of all candidates tried.
        WeightChoice choice = model.Info.TransitionWeight!;
        Assert.Equal(HybridRecommender.CandidateWeights, choice.Tried.Select(t => t.Weight));
        Assert.Equal(choice.Tried.Max(t => t.Ndcg), choice.Tried.First(t => t.Weight == choice.Weight).Ndcg);
        HybridRecommender hybrid = Assert.IsType<HybridRecommender>(model.Recommender);
        Assert.Equal(choice.Weight, hybrid.Weight);
        Assert.Equal(choice.Tried.Single(t => t.Weight == choice.Weight).Ndcg,
            RankingEvaluator.Evaluate(hybrid, data, Protocol, EvaluationSplit.Validation).Full.Ndcg, 12);
        // Weight 0 is the model alone (log-softmax keeps the order); a weight on transitions changes the ranking.
        var transitions = TransitionTable.FromTraining(data);
        Assert.Equal(evaluated.PerUserNdcg, RankingEvaluator.Evaluate(new HybridRecommender(model, transitions, 0), data, Protocol, EvaluationSplit.Test).PerUserNdcg);
        Assert.NotEqual(evaluated.PerUserNdcg, RankingEvaluator.Evaluate(new HybridRecommender(model, transitions, 3), data, Protocol, EvaluationSplit.Test).PerUserNdcg);
        IReadOnlyList<WeightTrial> sweep = HybridRecommender.Sweep(model, transitions, data, Protocol, EvaluationSplit.Test);
        Assert.Equal(evaluated.Full.Ndcg, sweep[0].Ndcg, 12);

        // A folder that names a weight but lost its transitions is refused, not served as something else.
        File.Delete(Path.Combine(model.Folder, TransitionTable.FileName));
        Assert.Contains(TransitionTable.FileName, Assert.Throws<InvalidDataException>(() => SequenceModel.Load(model.Folder)).Message);
        transitions.Save(Path.Combine(model.Folder, TransitionTable.FileName));

        // Recommendations: catalogue ids, seen ones excluded, probabilities best first.
        var recommender = new MovieRecommender(model, MovieCatalog.Empty);
        int[] history = [.. data.Users[0].Items.Take(5).Select(data.Vocabulary.ItemId)];
        IReadOnlyList<RecommendedItem> top = recommender.Recommend(history, 10);
        Assert.Equal(10, top.Count);
        Assert.DoesNotContain(top, r => history.Contains(r.Id));
        Assert.True(top.Zip(top.Skip(1)).All(p => p.First.Score >= p.Second.Score));
        Assert.InRange(top.Sum(r => r.Score), 0, 1);
        Assert.Throws<ArgumentException>(() => recommender.Recommend([999_999], 10));
        Assert.Throws<ArgumentException>(() => recommender.Recommend(history, 0));
    }
}
