namespace Myna.Generation;

/// <summary>Why a sequence stopped growing.</summary>
public enum FinishReason
{
    /// <summary>It reached MaxNewTokens / MaxLength.</summary>
    Length,

    /// <summary>The model produced the end-of-text token.</summary>
    EndOfText,

    /// <summary>The text reached one of the stop sequences.</summary>
    StopSequence,

    /// <summary>It filled the model's context window (n_ctx); Myna does not slide the window silently.</summary>
    ContextFull,

    /// <summary>The text came to contain a blocked phrase (<see cref="GenerationOptions.BlockedPhrases"/>); it was cut before it.</summary>
    ContentFilter,
}
