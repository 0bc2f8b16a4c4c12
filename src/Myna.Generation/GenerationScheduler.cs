using System.Diagnostics;
using Myna.Models.Inference;
using Myna.Tensors;
using Myna.Text.Tokenization;

namespace Myna.Generation;

/// <summary>
/// The one decode loop: a step-driven, continuously batching scheduler over one <see cref="GptInference"/> and its
/// <see cref="CacheSlotPool"/>. Requests (<see cref="Submit"/>) are admitted at any step with their own options and
/// cancellation; each <see cref="Step"/> runs ONE forward pass over every decoding sequence plus prompt chunks up to
/// <see cref="SchedulerOptions.PrefillChunk"/> tokens, samples, streams <see cref="GenerationChunk"/>s, and frees the
/// slots of finished or cancelled sequences in the same step. Generation, streaming, chat, task evaluation and the
/// server all drive this class; none has a loop of its own.
/// </summary>
/// <remarks>
/// <para>
/// Called a scheduler rather than a batch because it decides, each step, who runs: the batch is rebuilt every step
/// from the slots' states (llama.cpp's server loop: Idle → ProcessingPrompt → Generating).
/// </para>
/// <para>
/// Threading: <see cref="Submit"/>, <see cref="SubmitAll"/> and the counters may be used from any thread. Steps run on
/// one thread at a time: call <see cref="Step"/> yourself (tests, benchmarks), or let <see cref="RunAsync"/> drive on
/// a dedicated thread (a server's BackgroundService).
/// </para>
/// <para>
/// Batch invariance: a sequence's random stream comes from (seed, choice index) and its logits row does not depend on
/// the other rows of a step at f32 and f16 (the kernels compute each row the same whatever the row count), so a
/// request gives the same tokens and log-probabilities alone or among others, bit for bit. At int8 the same holds
/// where the kernels keep activations in f32; where the integer path quantises them (AVX-VNNI machines, and the row
/// counts it is chosen for), a row's logits can differ in rounding with the number of rows in the step, so tokens
/// agree except where two candidates are within that rounding.
/// </para>
/// </remarks>
public sealed class GenerationScheduler
{
    private readonly object _gate = new();
    private readonly Queue<GenerationRequest> _waiting = new(); // guarded by _gate
    private readonly List<GenerationRequest> _running = [];     // the stepping thread's alone
    private readonly SemaphoreSlim _wake = new(0, 1);
    private CacheSlotPool _pool;
    private int _stepping;
    private bool _driven; // guarded by _gate: a driver thread (RunAsync or the on-demand pump) owns the steps
    private volatile int _runningCount, _slotsInUse;

    // One step's batch: chunk j feeds _counts[j] tokens to slot _slots[j]; _owners[j] says whose it is.
    private readonly List<int> _slots = [], _counts = [], _tokens = [];
    private readonly List<(GenerationRequest Request, int Sequence)> _owners = []; // Sequence −1: a prompt chunk
    private readonly List<bool> _everyPosition = [];  // per chunk: a prompt being scored wants a logits row per token
    private readonly List<int> _lastRow = [];         // per chunk: the logits row of its last token
    private float[] _logits = [];
    private readonly List<(GenerationRequest Request, int Sequence, int Row)> _samples = []; // who samples from which logits row
    private GenerationChunk[] _emitted = [];
    private Exception?[] _failures = [];
    private readonly Action<int> _sampleOne;

    /// <summary>
    /// Prompt tokens of a prompt being scored fed per step at most: each needs a row of logits, and 64 rows of GPT-2's
    /// 50,257 are 13 MB, whatever the prefill budget (the model's own scheduler feeds 512 tokens a step).
    /// </summary>
    public const int ScoredPromptRowsPerStep = 64;

    private long _steps, _decodeRows, _prefillRows, _reused, _generated, _forwardTicks, _stepTicks;
    private readonly List<GenerationRequest> _firstTokens = []; // requests whose prompt finished this step (they sample their first token)
    private readonly List<GenerationRequest> _finished = []; // requests that finished this step, completed after its observers ran

    /// <summary>A scheduler over <paramref name="weights"/> (converted once, shared) with its own cache.</summary>
    /// <param name="weights">The converted weights; other schedulers and evaluators may share them.</param>
    /// <param name="tokenizer">For text, stop sequences and chat; null gives ids only.</param>
    /// <param name="endOfTextId">The token that ends generation (when the options say so).</param>
    /// <param name="options">Slots, prefill budget, queue and buffer sizes.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public GenerationScheduler(InferenceWeights weights, GptTokenizer? tokenizer = null, int? endOfTextId = null, SchedulerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        options ??= new SchedulerOptions();
        options.Validate();
        if (tokenizer is not null && tokenizer.VocabSize > weights.Config.VocabSize)
            throw new ArgumentException($"the tokenizer has {tokenizer.VocabSize} ids but the model only {weights.Config.VocabSize}.");
        Weights = weights;
        Tokenizer = tokenizer;
        EndOfTextId = endOfTextId ?? tokenizer?.EndOfTextId;
        Options = options;
        _pool = new CacheSlotPool(new GptInference(weights, options.Slots));
        _sampleOne = SampleOne;
    }

    /// <summary>The converted weights.</summary>
    public InferenceWeights Weights { get; }

    /// <summary>The tokenizer text is decoded with (null: ids only).</summary>
    public GptTokenizer? Tokenizer { get; }

    /// <summary>The end-of-text token.</summary>
    public int? EndOfTextId { get; }

    /// <summary>The scheduler's options.</summary>
    public SchedulerOptions Options { get; }

    /// <summary>Cache slots now (grows only up to <see cref="SchedulerOptions.MaxSlots"/>).</summary>
    public int Capacity => _pool.Capacity;

    /// <summary>Slots rented by running sequences at the end of the last step.</summary>
    public int SlotsInUse => _slotsInUse;

    /// <summary>Requests admitted and not finished (llama.cpp's requests_processing).</summary>
    public int Running => _runningCount;

    /// <summary>Requests waiting for slots (llama.cpp's requests_deferred: the autoscaling signal).</summary>
    public int Waiting
    {
        get { lock (_gate) return _waiting.Count; }
    }

    /// <summary>Bytes of the key/value cache.</summary>
    public long CacheBytes => _pool.Engine.CacheBytes;

    /// <summary>
    /// Raised on the stepping thread after every step that ran a forward pass (batch occupancy, timings, which requests
    /// got their first token), for metrics. Handlers run inside the decode loop: keep them short and never block.
    /// </summary>
    public event Action<SchedulerStep>? StepCompleted;

    /// <summary>The counters so far.</summary>
    public SchedulerStatistics Statistics => new(
        Interlocked.Read(ref _steps), Interlocked.Read(ref _decodeRows), Interlocked.Read(ref _prefillRows), Interlocked.Read(ref _reused),
        Interlocked.Read(ref _generated), Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _forwardTicks)), Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _stepTicks)));

    /// <summary>
    /// Queues one prompt; its <see cref="GenerationOptions.NumReturnSequences"/> sequences are admitted together when
    /// that many slots are free, prefill the prompt once and copy its cache.
    /// </summary>
    /// <param name="prompt">Token ids (1 to n_ctx of them).</param>
    /// <param name="options">This request's options.</param>
    /// <param name="cancellation">Fires to stop the request: a queued request never starts, a running one frees its slots at the next step.</param>
    /// <param name="stream">Whether to deliver chunks through <see cref="GenerationRequest.Chunks"/>.</param>
    /// <param name="owner">Attached as <see cref="GenerationRequest.Owner"/> before the request is queued, so step observers can find it from the first step.</param>
    /// <exception cref="ArgumentException">An option is invalid, or the prompt is empty, too long, or holds unknown ids.</exception>
    /// <exception cref="SchedulerQueueFullException"><see cref="SchedulerOptions.MaxQueue"/> requests already wait.</exception>
    public GenerationRequest Submit(int[] prompt, GenerationOptions options, CancellationToken cancellation = default, bool stream = false, object? owner = null) =>
        SubmitAll([prompt], options, cancellation, stream, owner)[0];

    /// <summary>
    /// Queues several prompts at once (they are admitted in order, none before the others are queued). Prompt p's
    /// sequences take choice indices p·n … p·n + n − 1 of one seed, as if they were one request for all prompts.
    /// </summary>
    /// <exception cref="ArgumentException">An option is invalid, or a prompt is empty, too long, or holds unknown ids.</exception>
    /// <exception cref="SchedulerQueueFullException">The queue has no room for all of them.</exception>
    /// <param name="prompts">Token ids of each prompt (1 to n_ctx of them).</param>
    /// <param name="options">The options every prompt shares.</param>
    /// <param name="cancellation">Fires to stop them all.</param>
    /// <param name="stream">Whether to deliver chunks through <see cref="GenerationRequest.Chunks"/>.</param>
    /// <param name="owner">Attached to every request as <see cref="GenerationRequest.Owner"/> before any is queued.</param>
    public IReadOnlyList<GenerationRequest> SubmitAll(IReadOnlyList<int[]> prompts, GenerationOptions options, CancellationToken cancellation = default, bool stream = false, object? owner = null)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(options);
        int context = Weights.Config.ContextLength, vocab = Weights.Config.VocabSize, n = options.NumReturnSequences;
        options.Validate(vocab);
        if ((options.StopSequences.Count > 0 || options.BlockedPhrases.Count > 0) && Tokenizer is null)
            throw new ArgumentException("StopSequences and BlockedPhrases need a tokenizer to compare text; load the model with one.");
        int mostSlots = Options.MaxSlots ?? Options.Slots;
        if (n > mostSlots) throw new ArgumentException($"{n} return sequences requested; this scheduler decodes at most {mostSlots} at once.");
        for (int p = 0; p < prompts.Count; p++)
        {
            int[] prompt = prompts[p];
            if (prompt.Length == 0) throw new ArgumentException($"prompt {p} is empty; give at least one token (for example <|endoftext|>).");
            if (prompt.Length > context)
                throw new ArgumentException($"prompt {p} has {prompt.Length} tokens; the model's context is {context}. Shorten the prompt.");
            // transformers' max_length counts the prompt: one that already fills it would "generate" nothing and print the prompt back.
            if (options.MaxNewTokens is null && options.MaxLength is { } total && prompt.Length >= total)
                throw new ArgumentException($"MaxLength (--max-length) {total} counts the prompt, which already has {prompt.Length} tokens; nothing would be generated. Raise it, or give MaxNewTokens (--max-new-tokens) instead.");
            foreach (int id in prompt)
            {
                if ((uint)id >= (uint)vocab) throw new ArgumentException($"prompt {p} holds token {id}, outside the vocabulary [0, {vocab}).");
            }
        }

        int seed = options.Seed ?? Random.Shared.Next();
        var requests = new GenerationRequest[prompts.Count];
        for (int p = 0; p < prompts.Count; p++)
        {
            var decoders = new SequenceDecoder[n];
            for (int r = 0; r < n; r++) decoders[r] = new SequenceDecoder(prompts[p], options, seed, p * n + r, Tokenizer, EndOfTextId, context);
            requests[p] = new GenerationRequest(prompts[p], options, seed, p * n, decoders, stream, Options.ChunkBuffer, cancellation) { Owner = owner };
        }
        lock (_gate)
        {
            if (Options.MaxQueue is { } max && _waiting.Count + requests.Length > max) throw new SchedulerQueueFullException(_waiting.Count);
            foreach (GenerationRequest request in requests)
            {
                // A cancelled token wakes a sleeping driver so the request leaves at once.
                if (cancellation.CanBeCanceled) request.WakeOnCancel = cancellation.Register(Wake);
                _waiting.Enqueue(request);
            }
        }
        Wake();
        return requests;
    }

    /// <summary>
    /// Runs one step: (1) cancelled requests leave and free their slots; (2) waiting requests are admitted in order
    /// while slots are free; (3) the batch is one token for every decoding sequence whose reader has room, then prompt
    /// chunks, oldest request first, up to the prefill budget; (4) one forward pass, with a logits row per token for the
    /// chunks of prompts being scored (<see cref="GenerationOptions.PromptLogProbs"/>) and one per chunk for the rest;
    /// (5) scored prompts take their tokens' log-probabilities, each sequence samples from its row and streams its
    /// chunk, a finished prompt is copied to its request's other slots; (6) finished sequences return their slots and
    /// finished requests complete.
    /// </summary>
    /// <returns>Whether a forward pass ran (false: nothing to do, or every running stream is waiting for its reader).</returns>
    /// <exception cref="InvalidOperationException">A driver (<see cref="RunAsync"/>) or another thread is stepping this scheduler.</exception>
    public bool Step()
    {
        lock (_gate)
        {
            if (_driven) throw new InvalidOperationException("a driver is stepping this scheduler; submit requests and read their results instead.");
        }
        return StepExclusively();
    }

    private bool StepExclusively()
    {
        if (Interlocked.Exchange(ref _stepping, 1) == 1)
            throw new InvalidOperationException("another thread is stepping this scheduler; one thread drives it (Step or RunAsync, not both).");
        try
        {
            return StepCore();
        }
        finally
        {
            Volatile.Write(ref _stepping, 0);
        }
    }

    /// <summary>Steps until every submitted request has ended (non-streaming use; a stream nobody reads would wait forever).</summary>
    public void RunUntilIdle()
    {
        while (true)
        {
            if (Step()) continue;
            lock (_gate)
            {
                if (_waiting.Count == 0 && _running.Count == 0) return;
            }
            _wake.Wait(1);
        }
    }

    /// <summary>
    /// Drives the scheduler on a dedicated thread until <paramref name="stoppingToken"/> fires: steps while there is
    /// work and sleeps until a request arrives. Requests still running or waiting when it stops are cancelled.
    /// </summary>
    /// <exception cref="InvalidOperationException">A driver is already running.</exception>
    public Task RunAsync(CancellationToken stoppingToken)
    {
        lock (_gate)
        {
            if (_driven) throw new InvalidOperationException("this scheduler already has a driver.");
            _driven = true;
        }
        return Task.Factory.StartNew(() =>
        {
            try
            {
                using CancellationTokenRegistration wakeOnStop = stoppingToken.Register(Wake);
                while (!stoppingToken.IsCancellationRequested)
                {
                    if (!GuardedStep()) WaitForWork();
                }
            }
            finally
            {
                FailEverything(new OperationCanceledException("the scheduler stopped.", stoppingToken));
                lock (_gate) _driven = false;
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Starts a background thread that steps while there is work and ends when there is none (unless a driver runs).</summary>
    internal void EnsureDriven()
    {
        lock (_gate)
        {
            if (_driven) return;
            _driven = true;
        }
        var thread = new Thread(() =>
        {
            while (true)
            {
                if (GuardedStep()) continue;
                lock (_gate)
                {
                    if (_waiting.Count == 0 && _running.Count == 0)
                    {
                        _driven = false;
                        return;
                    }
                }
                WaitForWork();
            }
        })
        { IsBackground = true, Name = "Myna generation" };
        thread.Start();
    }

    /// <summary>A driver's step: a failure nobody expected fails the requests in flight instead of ending the driver.</summary>
    private bool GuardedStep()
    {
        try
        {
            return StepExclusively();
        }
        catch (Exception error)
        {
            FailEverything(error);
            return false;
        }
    }

    private void WaitForWork()
    {
        // Running requests whose readers are behind get polled; otherwise sleep until a submission or cancellation.
        bool paused;
        lock (_gate) paused = _running.Count > 0 || _waiting.Count > 0;
        _wake.Wait(paused ? 1 : 100);
    }

    private void Wake()
    {
        try
        {
            if (_wake.CurrentCount == 0) _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    private bool StepCore()
    {
        long start = Stopwatch.GetTimestamp();
        // 1. Cancelled requests leave now and free their slots.
        for (int i = _running.Count - 1; i >= 0; i--)
        {
            GenerationRequest request = _running[i];
            if (!request.Cancellation.IsCancellationRequested) continue;
            ReleaseSlots(request);
            _running.RemoveAt(i);
            request.Cancel();
        }
        // 2. Admission, in arrival order.
        Admit();

        // 3. The batch: one token per decoding sequence, then prompt chunks up to the budget.
        _slots.Clear();
        _counts.Clear();
        _tokens.Clear();
        _owners.Clear();
        _everyPosition.Clear();
        foreach (GenerationRequest request in _running)
        {
            if (request.State != RequestState.Decoding) continue;
            SequenceDecoder[] decoders = request.Decoders;
            int live = 0;
            foreach (SequenceDecoder d in decoders) live += d.IsFinished ? 0 : 1;
            if (!request.HasRoom(live)) continue; // its reader is behind: it waits, keeping its slots
            for (int i = 0; i < decoders.Length; i++)
            {
                if (decoders[i].IsFinished) continue;
                Add(request.Slots[i], decoders[i].LastToken, 1, request, i);
            }
        }
        int decodeRows = _slots.Count, prefillRows = 0, copies = 0;
        // Streams already decoding pay for every prompt row of this step in latency: feed fewer while they run.
        int budget = decodeRows > 0 ? Math.Min(Options.PrefillChunk, Options.PrefillChunkWhileDecoding) : Options.PrefillChunk;
        foreach (GenerationRequest request in _running)
        {
            if (budget == 0) break;
            if (request.State != RequestState.Prefilling) continue;
            int take = Math.Min(budget, request.Prompt.Length - request.Fed);
            if (request.PromptLogProbs is not null) take = Math.Min(take, ScoredPromptRowsPerStep);
            _slots.Add(request.Slots[0]);
            _counts.Add(take);
            _tokens.AddRange(request.Prompt.AsSpan(request.Fed, take));
            _owners.Add((request, -1));
            _everyPosition.Add(request.PromptLogProbs is not null);
            budget -= take;
            prefillRows += take;
            if (request.Fed + take == request.Prompt.Length) copies += request.Decoders.Length - 1; // each extra sequence samples from a copy of the row
        }
        if (_slots.Count == 0)
        {
            PublishCounts();
            return false;
        }

        // 4. One forward pass over the whole batch: a row of logits per chunk, or per token of a prompt being scored,
        //    and none for a prompt chunk that neither finishes its prompt nor is scored (nothing would read it; and at 8
        //    decoding rows a ninth row would cost the head's product a whole extra group of rows).
        int vocab = Weights.Config.VocabSize, chunks = _slots.Count;
        bool scoring = _everyPosition.Contains(true);
        _lastRow.Clear();
        int outputRows = 0;
        bool anyWithout = false;
        for (int j = 0; j < chunks; j++)
        {
            bool every = j >= decodeRows && _everyPosition[j - decodeRows];
            bool none = j >= decodeRows && !every && _owners[j].Request.Fed + _counts[j] < _owners[j].Request.Prompt.Length;
            anyWithout |= none;
            outputRows += every ? _counts[j] : none ? 0 : 1;
            _lastRow.Add(none ? -1 : outputRows - 1);
        }
        if (_logits.Length < (long)(outputRows + copies) * vocab) _logits = new float[(outputRows + copies) * vocab];
        Span<bool> everyPosition = scoring ? stackalloc bool[chunks] : [];
        for (int j = decodeRows; j < chunks && scoring; j++) everyPosition[j] = _everyPosition[j - decodeRows];
        Span<bool> noLogits = anyWithout ? stackalloc bool[chunks] : [];
        for (int j = decodeRows; j < chunks && anyWithout; j++) noLogits[j] = _lastRow[j] < 0;
        long forwardStart = Stopwatch.GetTimestamp();
        try
        {
            _pool.Forward(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_slots), System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_counts),
                System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_tokens), _logits, everyPosition, noLogits);
        }
        catch (Exception error)
        {
            // The engine failed (a bug, or memory): every running request fails; the scheduler stays usable.
            foreach (GenerationRequest request in _running)
            {
                ReleaseSlots(request);
                request.Fail(error);
            }
            _running.Clear();
            PublishCounts();
            return true;
        }
        long forwardTicks = Stopwatch.GetTimestamp() - forwardStart;

        // 5. Sampling: every sequence with a row picks its token. A finished prompt first has its cache copied to its
        // request's other slots and its row copied for each of them (sampling modifies the row it reads).
        _samples.Clear();
        _firstTokens.Clear();
        for (int j = 0, extra = outputRows; j < chunks; j++)
        {
            (GenerationRequest request, int sequence) = _owners[j];
            if (sequence >= 0)
            {
                _samples.Add((request, sequence, _lastRow[j]));
                continue;
            }
            // A prompt being scored: each of its rows predicts the prompt token after it (the last one of the whole
            // prompt predicts the first new token and is sampled from below).
            if (request.PromptLogProbs is not null) ScorePrompt(request, _lastRow[j] - _counts[j] + 1, _counts[j]);
            request.Fed += _counts[j];
            if (request.Fed < request.Prompt.Length) continue;
            request.Enter(RequestState.Decoding);
            // Fed only to be scored (no new tokens asked for): it completes below without sampling.
            if (request.Decoders.All(d => d.IsFinished)) continue;
            for (int i = 1; i < request.Decoders.Length; i++) _pool.CopySequence(request.Slots[0], request.Slots[i]);
            int row = _lastRow[j];
            _firstTokens.Add(request);
            _samples.Add((request, 0, row));
            for (int i = 1; i < request.Decoders.Length; i++, extra++)
            {
                _logits.AsSpan(row * vocab, vocab).CopyTo(_logits.AsSpan(extra * vocab, vocab));
                _samples.Add((request, i, extra));
            }
        }
        if (_emitted.Length < _samples.Count)
        {
            _emitted = new GenerationChunk[Math.Max(_samples.Count, 2 * _emitted.Length)];
            _failures = new Exception?[_emitted.Length];
        }
        // Sequences are independent (own sampler, own row), so they sample in parallel when there is work worth
        // spreading: a filter or softmax pass over the vocabulary each; a plain argmax is cheaper than the hand-off.
        bool heavy = false;
        foreach ((GenerationRequest request, _, _) in _samples) heavy |= request.Decoders[0].ProcessesWholeRow;
        if (heavy && _samples.Count > 1) ComputePool.Shared.For(_samples.Count, _sampleOne);
        else for (int k = 0; k < _samples.Count; k++) SampleOne(k);
        // Chunks are written and slots returned in step order, on this thread.
        for (int k = 0; k < _samples.Count; k++)
        {
            (GenerationRequest request, int sequence, _) = _samples[k];
            if (_failures[k] is { } failure)
            {
                if (request.State is RequestState.Failed) continue;
                _running.Remove(request);
                ReleaseSlots(request);
                request.Fail(failure);
                continue;
            }
            if (request.State is RequestState.Failed) continue;
            request.Write(_emitted[k]);
            if (request.Decoders[sequence].IsFinished)
            {
                _pool.Return(request.Slots[sequence]);
                request.Slots[sequence] = -1;
            }
        }
        int generated = _samples.Count;
        Array.Clear(_emitted, 0, _samples.Count);
        Array.Clear(_failures, 0, _samples.Count);

        // 6. Finished requests leave; their slots were returned as each sequence ended. They complete only after the
        //    step's observers have run (below), so what an observer records of this step (a first token's time) is
        //    there before the request's owner, woken by its completion, reads it.
        _finished.Clear();
        for (int i = _running.Count - 1; i >= 0; i--)
        {
            GenerationRequest request = _running[i];
            if (request.State != RequestState.Decoding || request.Decoders.Any(d => !d.IsFinished)) continue;
            _running.RemoveAt(i);
            ReleaseSlots(request); // a request that only scored its prompt still holds its slots
            _finished.Add(request);
        }

        Interlocked.Increment(ref _steps);
        Interlocked.Add(ref _decodeRows, decodeRows);
        Interlocked.Add(ref _prefillRows, prefillRows);
        Interlocked.Add(ref _generated, generated);
        Interlocked.Add(ref _forwardTicks, forwardTicks);
        long stepTicks = Stopwatch.GetTimestamp() - start;
        Interlocked.Add(ref _stepTicks, stepTicks);
        PublishCounts();
        if (StepCompleted is { } completed)
        {
            completed(new SchedulerStep(decodeRows, prefillRows, generated, Stopwatch.GetElapsedTime(0, forwardTicks), Stopwatch.GetElapsedTime(0, stepTicks),
                _firstTokens.Count == 0 ? [] : _firstTokens.ToArray()));
        }
        _firstTokens.Clear();
        foreach (GenerationRequest request in _finished) request.Complete();
        _finished.Clear();
        return true;
    }

    private void Add(int slot, int token, int count, GenerationRequest request, int sequence)
    {
        _slots.Add(slot);
        _counts.Add(count);
        _tokens.Add(token);
        _owners.Add((request, sequence));
    }

    /// <summary>
    /// Fills a scored prompt's log-probabilities from the <paramref name="count"/> rows at <paramref name="firstRow"/>,
    /// fed from prompt position <c>request.Fed</c>: row t predicts prompt token Fed + t + 1. The model's distribution,
    /// unprocessed (no bias, penalty or temperature applies to tokens nobody sampled), spread over the compute pool.
    /// </summary>
    private void ScorePrompt(GenerationRequest request, int firstRow, int count)
    {
        int vocab = Weights.Config.VocabSize, from = request.Fed, alternatives = request.Options.PromptLogProbs ?? 0;
        int scored = Math.Min(count, request.Prompt.Length - 1 - from);
        if (scored <= 0) return;
        float[] logits = _logits, logProbs = request.PromptLogProbs!;
        TokenLogProbability[][] tops = request.PromptTopLogProbs!;
        int[] prompt = request.Prompt;
        void Score(int t)
        {
            ReadOnlySpan<float> row = logits.AsSpan((firstRow + t) * vocab, vocab);
            (float max, double logSum) = Sampling.LogitsProcessing.LogSoftmaxNormalizer(row);
            int position = from + t + 1;
            logProbs[position] = Sampling.LogitsProcessing.LogSoftmaxAt(row, prompt[position], max, logSum);
            Span<int> chosen = stackalloc int[alternatives];
            int found = Sampling.LogitsProcessing.SelectLargest(row, chosen);
            var top = new TokenLogProbability[found];
            for (int i = 0; i < found; i++) top[i] = new(chosen[i], Sampling.LogitsProcessing.LogSoftmaxAt(row, chosen[i], max, logSum));
            tops[position] = top;
        }
        if (scored > 1) ComputePool.Shared.For(scored, Score);
        else Score(0);
    }

    private void SampleOne(int k)
    {
        (GenerationRequest request, int sequence, int row) = _samples[k];
        int vocab = Weights.Config.VocabSize;
        try
        {
            _emitted[k] = request.Decoders[sequence].Accept(_logits.AsSpan(row * vocab, vocab));
        }
        catch (Exception error)
        {
            // One sequence's failure (say, a sampled id its tokenizer cannot decode) fails its request, not the step.
            _failures[k] = error;
        }
    }

    private void Admit()
    {
        lock (_gate)
        {
            while (_waiting.Count > 0)
            {
                GenerationRequest request = _waiting.Peek();
                if (request.Cancellation.IsCancellationRequested)
                {
                    _waiting.Dequeue();
                    request.Cancel(); // never started
                    continue;
                }
                if (request.Decoders.All(d => d.IsFinished) && request.PromptLogProbs is null)
                {
                    _waiting.Dequeue();
                    request.Complete(); // nothing to generate (a zero token budget)
                    continue;
                }
                int needed = request.Decoders.Length;
                if (needed > _pool.Idle && _pool.InUse == 0 && Options.MaxSlots is { } most && _pool.Capacity < most)
                {
                    // Grow while idle to what everything waiting needs: only the cache is rebuilt, never the weights.
                    int demand = _waiting.Sum(r => r.Decoders.Length);
                    _pool = new CacheSlotPool(new GptInference(Weights, Math.Clamp(demand, needed, most)));
                }
                if (needed > _pool.Idle) break;
                _waiting.Dequeue();
                Start(request);
            }
        }
    }

    private void Start(GenerationRequest request)
    {
        // A prompt being scored is fed whole: a reused prefix would have no logits.
        int reused = 0;
        request.Slots[0] = request.PromptLogProbs is null ? _pool.Rent(request.Prompt, out reused) : _pool.Rent();
        for (int i = 1; i < request.Slots.Length; i++) request.Slots[i] = _pool.Rent();
        request.Fed = reused;
        request.ReusedPromptTokens = reused;
        Interlocked.Add(ref _reused, reused);
        request.Enter(RequestState.Prefilling);
        _running.Add(request);
    }

    private void ReleaseSlots(GenerationRequest request)
    {
        for (int i = 0; i < request.Slots.Length; i++)
        {
            if (request.Slots[i] < 0) continue;
            _pool.Return(request.Slots[i]);
            request.Slots[i] = -1;
        }
    }

    private void FailEverything(Exception reason)
    {
        // Only called from the stepping thread, between steps.
        foreach (GenerationRequest request in _running)
        {
            ReleaseSlots(request);
            request.Fail(reason);
        }
        _running.Clear();
        lock (_gate)
        {
            while (_waiting.Count > 0) _waiting.Dequeue().Fail(reason);
        }
        PublishCounts();
    }

    private void PublishCounts()
    {
        _runningCount = _running.Count;
        _slotsInUse = _pool.InUse;
    }
}
