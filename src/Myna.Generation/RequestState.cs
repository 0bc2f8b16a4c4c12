namespace Myna.Generation;

/// <summary>Where a <see cref="GenerationRequest"/> is: Queued → Prefilling → Decoding → one of the three ends.</summary>
public enum RequestState
{
    /// <summary>Waiting for free cache slots.</summary>
    Queued,

    /// <summary>Its prompt is being fed, a chunk per step.</summary>
    Prefilling,

    /// <summary>Its sequences get one token per step.</summary>
    Decoding,

    /// <summary>Every sequence ended; the results are in <see cref="GenerationRequest.Completion"/>.</summary>
    Completed,

    /// <summary>Its cancellation token fired; its slots were freed (or it never started).</summary>
    Cancelled,

    /// <summary>The engine failed while it ran.</summary>
    Failed,
}
