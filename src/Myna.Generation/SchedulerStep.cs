namespace Myna.Generation;

/// <summary>What one <see cref="GenerationScheduler"/> step did (<see cref="GenerationScheduler.StepCompleted"/>): the batch, its time, who started.</summary>
/// <param name="DecodeRows">Rows that fed a sampled token back: one per decoding sequence.</param>
/// <param name="PrefillRows">Prompt tokens fed this step.</param>
/// <param name="Sampled">Tokens sampled (decoding sequences plus sequences whose prompt finished).</param>
/// <param name="ForwardTime">Time inside the forward pass.</param>
/// <param name="StepTime">Time of the whole step.</param>
/// <param name="FirstTokens">Requests whose prompt finished this step: they sampled their first token in it.</param>
public sealed record SchedulerStep(int DecodeRows, int PrefillRows, int Sampled, TimeSpan ForwardTime, TimeSpan StepTime, IReadOnlyList<GenerationRequest> FirstTokens)
{
    /// <summary>Rows of the step's forward pass (decode rows plus prompt tokens).</summary>
    public int Rows => DecodeRows + PrefillRows;
}
