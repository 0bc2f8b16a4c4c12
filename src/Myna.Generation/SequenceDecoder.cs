using System.Runtime.InteropServices;
using System.Text;
using Myna.Generation.Filtering;
using Myna.Generation.Sampling;
using Myna.Text.Tokenization;

namespace Myna.Generation;

/// <summary>
/// One growing continuation of a prompt, apart from the model: it turns each row of next-token logits into a token
/// (its own <see cref="GenerationOptions"/>, sampler, penalties' counts), decodes the token's text, watches for stop
/// sequences and limits, and says what text became final (<see cref="GenerationChunk"/>). The scheduler owns the
/// cache slot; this owns everything else about the sequence, so a server can drive many with different options.
/// </summary>
/// <remarks>
/// <para>
/// Text is decoded incrementally, with constant work per token: only the new token's bytes are decoded (an incomplete
/// UTF-8 tail waits for the next token, shown meanwhile as the U+FFFD a full decode would give), and stop sequences are
/// searched only where the new text could complete one (the last <c>longest stop − 1</c> final characters and after).
/// The text, the stop position and every streamed piece are exactly what decoding all new ids each step gives.
/// </para>
/// <para>
/// Output filters (<see cref="GenerationOptions.BlockedPhrases"/>, <see cref="GenerationOptions.RedactPii"/>) work on
/// the same text: a blocked phrase is found and held back as a stop sequence is (ignoring case) and ends the sequence
/// with <see cref="Generation.FinishReason.ContentFilter"/>; redaction then runs over what is released
/// (<see cref="StreamingRedactor"/>), so streamed pieces and the whole text are redacted alike.
/// </para>
/// <para>
/// Randomness comes from (<c>seed</c>, <see cref="ChoiceIndex"/>) alone (<see cref="StreamSeed"/>), never from the
/// cache slot or the batch, so a request gives the same tokens alone or among others.
/// </para>
/// </remarks>
public sealed class SequenceDecoder
{
    private readonly GenerationOptions _options;
    private readonly TokenSampler _sampler;
    private readonly IncrementalDetokenizer? _text;
    private readonly int? _endOfText;
    private readonly int _contextLength;
    private readonly int _budget;
    private readonly List<int> _context; // prompt then generated ids, for the repetition penalty
    private readonly List<int> _newIds = [];
    private readonly List<float> _logProbs = [];
    private readonly List<TokenLogProbability[]>? _topLogProbs;
    private readonly Dictionary<int, int> _counts = [];
    private readonly string[] _stops;
    private readonly int _longestPhrase;   // the longest stop sequence or blocked phrase
    private readonly string[] _blocked;
    private readonly int _holdBack;        // characters that might start a stop sequence or a blocked phrase
    private readonly StreamingRedactor? _redactor;
    private readonly StringBuilder? _redacted; // the redacted text handed out so far (when redacting)
    private int _released;     // characters of the decoded text passed on (to the redactor, or out) so far
    private int _streamed;     // characters of the output text handed out as chunks so far
    private int? _stopAt;      // where the first stop sequence or blocked phrase starts in the text
    private string? _finalText;

    /// <summary>
    /// A decoder for one continuation of <paramref name="prompt"/>.
    /// </summary>
    /// <param name="prompt">The prompt's ids (for the repetition penalty and the length limits).</param>
    /// <param name="options">This sequence's options (validated here).</param>
    /// <param name="seed">The request's seed (<see cref="GenerationOptions.Seed"/>, or one drawn for it).</param>
    /// <param name="choiceIndex">Which return sequence this is; with <paramref name="seed"/> it fixes the random stream.</param>
    /// <param name="tokenizer">For text and stop sequences; null gives ids only.</param>
    /// <param name="endOfTextId">The token that ends generation when <see cref="GenerationOptions.StopAtEndOfText"/>.</param>
    /// <param name="contextLength">The model's n_ctx: the sequence ends with <see cref="FinishReason.ContextFull"/> when full.</param>
    /// <exception cref="ArgumentException">An option is invalid, or stop sequences are set without a tokenizer.</exception>
    public SequenceDecoder(int[] prompt, GenerationOptions options, int seed, int choiceIndex, GptTokenizer? tokenizer, int? endOfTextId, int contextLength)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.StopSequences.Count > 0 && tokenizer is null)
            throw new ArgumentException("StopSequences need a tokenizer to compare text; load the model with one.");
        Prompt = prompt;
        ChoiceIndex = choiceIndex;
        _options = options;
        _sampler = new TokenSampler(options, StreamSeed(seed, choiceIndex));
        _text = tokenizer is null ? null : new IncrementalDetokenizer(tokenizer);
        _endOfText = endOfTextId;
        _contextLength = contextLength;
        _budget = options.NewTokenBudget(prompt.Length);
        _context = options.RepetitionPenalty != 1f ? [.. prompt] : [];
        _stops = [.. options.StopSequences];
        _blocked = [.. options.BlockedPhrases];
        if (_blocked.Length > 0 && tokenizer is null) throw new ArgumentException("BlockedPhrases need a tokenizer to compare text; load the model with one.");
        _longestPhrase = Math.Max(_stops.Length == 0 ? 0 : _stops.Max(s => s.Length), _blocked.Length == 0 ? 0 : _blocked.Max(s => s.Length));
        _holdBack = Math.Max(0, _longestPhrase - 1);
        if (options.RedactPii)
        {
            _redactor = new StreamingRedactor();
            _redacted = new StringBuilder();
        }
        if (options.TopLogProbs > 0) _topLogProbs = [];
        if (_budget == 0) Finish(Generation.FinishReason.Length);
    }

    /// <summary>The seed of the random stream of return sequence <paramref name="choiceIndex"/> of a request seeded <paramref name="seed"/>.</summary>
    public static int StreamSeed(int seed, int choiceIndex) => unchecked(seed * 7919 + choiceIndex);

    /// <summary>The prompt's ids.</summary>
    public int[] Prompt { get; }

    /// <summary>Whether picking a token passes over the whole row (sampling, penalties or log-probabilities), not just an argmax.</summary>
    internal bool ProcessesWholeRow =>
        _options.DoSample || _options.ReturnLogProbs || _options.RepetitionPenalty != 1f || _options.PresencePenalty != 0f || _options.FrequencyPenalty != 0f
        || _options.RedactPii;

    /// <summary>Which return sequence of its request this is (<see cref="GenerationChunk.Sequence"/>).</summary>
    public int ChoiceIndex { get; }

    /// <summary>Why the sequence ended; null while it grows.</summary>
    public FinishReason? FinishReason { get; private set; }

    /// <summary>Whether the sequence has ended.</summary>
    public bool IsFinished => FinishReason is not null;

    /// <summary>Tokens generated so far.</summary>
    public int NewTokenCount => _newIds.Count;

    /// <summary>The generated ids so far.</summary>
    public IReadOnlyList<int> NewIds => _newIds;

    /// <summary>The last generated token (what the next forward step feeds); −1 before the first.</summary>
    public int LastToken => _newIds.Count == 0 ? -1 : _newIds[^1];

    /// <summary>
    /// The text so far: decoded generated ids without special tokens, cut before a stop sequence (or blocked phrase)
    /// once one appears, and without a half character at the end once a length limit ended it. Once the sequence has
    /// ended, redacted when <see cref="GenerationOptions.RedactPii"/> is set (while it grows, the text before redaction).
    /// </summary>
    public string Text => _finalText ?? _text?.ToString() ?? string.Empty;

    /// <summary>
    /// Picks the next token from <paramref name="logits"/> (V; modified in place by penalties and filters), records it,
    /// decides whether the sequence ends, and returns the chunk to stream.
    /// </summary>
    /// <exception cref="InvalidOperationException">The sequence has already ended.</exception>
    public GenerationChunk Accept(Span<float> logits)
    {
        if (IsFinished) throw new InvalidOperationException("the sequence has ended.");
        (int token, float logProb) = _sampler.Next(logits, CollectionsMarshal.AsSpan(_context), _counts, _options.ReturnLogProbs, _options.TopLogProbs,
            out TokenLogProbability[]? top);
        if (_options.RepetitionPenalty != 1f) _context.Add(token);
        _newIds.Add(token);
        if (_options.ReturnLogProbs) _logProbs.Add(logProb);
        _topLogProbs?.Add(top!);
        if (_options.PresencePenalty != 0f || _options.FrequencyPenalty != 0f) _counts[token] = _counts.GetValueOrDefault(token) + 1;

        int finalBefore = _text?.FinalLength ?? 0;
        _text?.Append(token);
        if (_options.StopAtEndOfText && token == _endOfText) Finish(Generation.FinishReason.EndOfText);
        else if (FindStop(finalBefore) is (int at, bool blocked))
        {
            _stopAt = at;
            Finish(blocked ? Generation.FinishReason.ContentFilter : Generation.FinishReason.StopSequence);
        }
        else if (_newIds.Count >= _budget) Finish(Generation.FinishReason.Length);
        // The new token must still fit the cache to be fed back: n_ctx is never slid silently.
        if (!IsFinished && Prompt.Length + _newIds.Count > _contextLength) Finish(Generation.FinishReason.ContextFull);
        return new GenerationChunk(ChoiceIndex, token, TakeStreamableText(), logProb, FinishReason) { TopLogProbs = top };
    }

    /// <summary>Ends the sequence (a reason already set is kept); a length limit drops a half character at the end.</summary>
    public void Finish(FinishReason reason)
    {
        if (_finalText is not null) return;
        FinishReason ??= reason;
        string text = _text?.ToString() ?? string.Empty;
        if (_stopAt is int at) text = text[..at];
        // A sequence cut off by a length limit can end inside a multi-byte character; that half character decodes as
        // U+FFFD and is left out of the text (the ids keep its bytes).
        if (FinishReason is Generation.FinishReason.Length or Generation.FinishReason.ContextFull) text = text.TrimEnd('\uFFFD');
        if (_redactor is not null)
        {
            // What was released is already out, redacted; the rest is released now, whole.
            string rest = text.Length > _released ? text[_released..] : string.Empty;
            _released = Math.Max(_released, text.Length);
            text = _redacted!.Append(_redactor.Push(rest, final: true)).ToString();
        }
        _finalText = text;
    }

    /// <summary>The finished sequence (or the sequence so far).</summary>
    public GeneratedSequence ToResult() =>
        new(Prompt, [.. _newIds], Text, FinishReason ?? Generation.FinishReason.Length, _options.ReturnLogProbs ? [.. _logProbs] : null)
        {
            TopLogProbs = _topLogProbs?.ToArray(),
        };

    /// <summary>
    /// Text that is final now and was not streamed before. While the sequence grows, a trailing U+FFFD (a character
    /// still incomplete) and the last <c>longest stop − 1</c> characters (they might start a stop sequence or blocked
    /// phrase) are held back; with redaction, the released text then waits in the redactor until it is safe.
    /// </summary>
    private string TakeStreamableText()
    {
        if (_finalText is { } final)
        {
            if (final.Length <= _streamed) return string.Empty;
            string rest = final[_streamed..];
            _streamed = final.Length;
            return rest;
        }
        if (_text is null) return string.Empty;
        int length = _text.Length, end = length;
        while (end > 0 && _text[end - 1] == '\uFFFD') end--;
        if (_holdBack > 0) end = Math.Max(_released, end - _holdBack);
        if (end > 0 && end < length && char.IsLowSurrogate(_text[end])) end--;
        end = Math.Max(end, _released);
        if (end <= _released) return string.Empty;
        string delta = _text.Slice(_released, end - _released);
        _released = end;
        if (_redactor is not null)
        {
            delta = _redactor.Push(delta, final: false);
            _redacted!.Append(delta);
        }
        _streamed += delta.Length;
        return delta;
    }

    /// <summary>
    /// The earliest stop sequence or blocked phrase in the text, searching only where one could newly appear: text final
    /// before this token was searched then, so a new match must end after <paramref name="finalBefore"/>. At the same
    /// position a blocked phrase wins.
    /// </summary>
    private (int At, bool Blocked)? FindStop(int finalBefore)
    {
        if (_longestPhrase == 0 || _text is null) return null;
        int from = Math.Max(0, finalBefore - (_longestPhrase - 1));
        string window = _text.Substring(from);
        int best = -1;
        bool blocked = false;
        foreach (string phrase in _blocked)
        {
            int at = window.IndexOf(phrase, StringComparison.OrdinalIgnoreCase);
            if (at >= 0 && (best < 0 || at < best)) (best, blocked) = (at, true);
        }
        foreach (string stop in _stops)
        {
            int at = window.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (best < 0 || at < best)) (best, blocked) = (at, false);
        }
        return best < 0 ? null : (from + best, blocked);
    }
}
