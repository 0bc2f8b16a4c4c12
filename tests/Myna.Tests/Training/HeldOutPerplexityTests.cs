using Myna.Evaluation.Perplexity;
using Myna.Generation;
using Myna.Models.Checkpoints;
using Myna.Models.Perplexity;
using Myna.Tests.Text;
using Myna.Text.Shards;
using Myna.Training;

namespace Myna.Tests.Training;

/// <summary>One held-out perplexity: what a finished run reports is what <c>myna eval ppl</c> measures on its checkpoint.</summary>
public class HeldOutPerplexityTests
{
    [Fact]
    public void AFinishedRunReportsTheHeldOutFigureEvalPplMeasuresWithItsDefinition()
    {
        using var dir = new TempFolder();
        SyntheticShards data = SyntheticShards.Create(Path.Combine(dir.Path, "shards"));
        string run = Path.Combine(dir.Path, "run");
        TrainingResult result = new Trainer(TrainingFixtures.Micro(data.Directory, run)).Run();

        PerplexityResult heldOut = Assert.IsType<PerplexityResult>(result.HeldOut);
        // The whole validation split, the model's context as the window, half of it as the stride.
        Assert.Equal(data.ValTokens.Length - 1, heldOut.Tokens);
        Assert.Equal(32, heldOut.ContextLength);
        Assert.Equal(16, heldOut.Stride);

        // eval ppl on the checkpoint and the same split measures the same figure, bit for bit (one code path, f32 weights).
        PerplexityResult measured = PerplexityEvaluator.Evaluate(GptLanguageModel.FromPretrained(result.Checkpoint), data.ValTokens);
        Assert.Equal(heldOut.Perplexity, measured.Perplexity);

        string definition = $"whole validation split: {heldOut.Definition}";
        Assert.Contains(definition, File.ReadAllText(Path.Combine(run, Trainer.ReportFileName)));
        Assert.Contains(definition, ModelDirectory.LoadCard(result.Checkpoint).ToMarkdown());
    }
}
