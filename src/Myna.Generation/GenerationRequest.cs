using System.Threading.Channels;

namespace Myna.Generation;

/// <summary>
/// One prompt submitted to a <see cref="GenerationScheduler"/> with its own options and cancellation: n return
/// sequences share one prefill, then decode side by side with everyone else's. Read <see cref="Chunks"/> to stream, or
/// await <see cref="Completion"/> for the whole sequences.
/// </summary>
public sealed class GenerationRequest
{
    private readonly Channel<GenerationChunk>? _channel;
    private readonly TaskCompletionSource<IReadOnlyList<GeneratedSequence>> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _bufferCapacity;
    private volatile RequestState _state = RequestState.Queued;

    internal GenerationRequest(int[] prompt, GenerationOptions options, int seed, int firstChoiceIndex, SequenceDecoder[] decoders,
        bool stream, int chunkBuffer, CancellationToken cancellation)
    {
        Prompt = prompt;
        Options = options;
        Seed = seed;
        FirstChoiceIndex = firstChoiceIndex;
        Decoders = decoders;
        Cancellation = cancellation;
        Slots = new int[decoders.Length];
        Array.Fill(Slots, -1);
        if (options.PromptLogProbs is not null)
        {
            PromptLogProbs = new float[prompt.Length];
            PromptLogProbs[0] = float.NaN;
            PromptTopLogProbs = new TokenLogProbability[prompt.Length][];
            PromptTopLogProbs[0] = [];
        }
        if (stream)
        {
            // Room for every sequence's chunk of one step, whatever the buffer asked for.
            _bufferCapacity = Math.Max(chunkBuffer, decoders.Length);
            _channel = Channel.CreateBounded<GenerationChunk>(new BoundedChannelOptions(_bufferCapacity)
            {
                SingleWriter = true,
                SingleReader = false,
                FullMode = BoundedChannelFullMode.Wait,
            });
        }
    }

    /// <summary>
    /// What the submitter attached (the server's record of the HTTP request), set before the request is queued: a step
    /// observer that looks it up always finds it, even when the request's first token comes in the very first step.
    /// </summary>
    public object? Owner { get; init; }

    /// <summary>The prompt's ids.</summary>
    public int[] Prompt { get; }

    /// <summary>The options every sequence of this request uses.</summary>
    public GenerationOptions Options { get; }

    /// <summary>The seed the random streams derive from (the options' seed, or one drawn at submission).</summary>
    public int Seed { get; }

    /// <summary>The choice index of the first sequence (the others follow); with <see cref="Seed"/> it fixes each random stream.</summary>
    public int FirstChoiceIndex { get; }

    /// <summary>Where the request is now.</summary>
    public RequestState State => _state;

    /// <summary>Prompt tokens found in a slot's cache and not recomputed (prefix reuse).</summary>
    public int ReusedPromptTokens { get; internal set; }

    /// <summary>
    /// Per prompt token, its log-probability given the tokens before it (the first NaN), when the options ask
    /// (<see cref="GenerationOptions.PromptLogProbs"/>); filled while the prompt is fed, complete before the first chunk.
    /// </summary>
    public float[]? PromptLogProbs { get; }

    /// <summary>Per prompt token, the most likely alternatives at its position (the first empty), when the options ask.</summary>
    public TokenLogProbability[][]? PromptTopLogProbs { get; }

    /// <summary>The chunks as they are generated, in step order; null unless submitted with streaming. Completes (or faults) with the request.</summary>
    public ChannelReader<GenerationChunk>? Chunks => _channel?.Reader;

    /// <summary>The finished sequences, in choice order; cancelled when the request's token fires, faulted when the engine fails.</summary>
    public Task<IReadOnlyList<GeneratedSequence>> Completion => _completion.Task;

    internal SequenceDecoder[] Decoders { get; }

    internal int[] Slots { get; }

    internal CancellationToken Cancellation { get; }

    /// <summary>Prompt tokens in the primary slot's cache so far (reused ones included).</summary>
    internal int Fed { get; set; }

    /// <summary>The callback that wakes the scheduler when the token fires; released when the request ends.</summary>
    internal CancellationTokenRegistration WakeOnCancel { get; set; }

    internal void Enter(RequestState state) => _state = state;

    /// <summary>Whether the stream has room for one more step's chunks (always, when not streaming).</summary>
    internal bool HasRoom(int chunks) => _channel is null || _channel.Reader.Count + chunks <= _bufferCapacity;

    internal void Write(GenerationChunk chunk)
    {
        if (_channel is not null && !_channel.Writer.TryWrite(chunk))
            throw new InvalidOperationException("a request's chunk buffer overflowed; the scheduler checks for room first.");
    }

    internal void Complete()
    {
        _state = RequestState.Completed;
        WakeOnCancel.Dispose();
        IReadOnlyList<GeneratedSequence> results = Decoders.Select(d => d.ToResult() with { PromptLogProbs = PromptLogProbs, PromptTopLogProbs = PromptTopLogProbs }).ToArray();
        _channel?.Writer.TryComplete();
        _completion.TrySetResult(results);
    }

    internal void Cancel()
    {
        _state = RequestState.Cancelled;
        WakeOnCancel.Dispose();
        _channel?.Writer.TryComplete(new OperationCanceledException(Cancellation));
        _completion.TrySetCanceled(Cancellation);
    }

    internal void Fail(Exception error)
    {
        _state = RequestState.Failed;
        WakeOnCancel.Dispose();
        _channel?.Writer.TryComplete(error);
        _completion.TrySetException(error);
    }
}
