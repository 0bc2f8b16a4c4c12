using System.Runtime.InteropServices;
using Myna.Generation.Sampling;
using Myna.Text.Tokenization;

namespace Myna.Generation;

/// <summary>
/// One growing continuation: its ids, sampler, penalties' counts, and the text seen so far. Text is decoded from all
/// new ids each step (byte-level tokens can split a character, so a trailing U+FFFD is held back until completed),
/// and text that might be the start of a stop sequence is held back from streaming until it is known not to be.
/// </summary>
internal sealed class SequenceState(int[] prompt, TokenSampler sampler, GptTokenizer? tokenizer, GenerationOptions options)
{
    private readonly List<int> _context = [.. prompt];
    private readonly List<int> _newIds = [];
    private readonly List<float> _logProbs = [];
    private readonly Dictionary<int, int> _counts = [];
    private readonly int _longestStop = options.StopSequences.Count == 0 ? 0 : options.StopSequences.Max(s => s.Length);
    private int _streamed;

    public int[] Prompt { get; } = prompt;
    public TokenSampler Sampler { get; } = sampler;
    public float[] Logits { get; set; } = [];
    public FinishReason? Finished { get; private set; }
    public string Text { get; private set; } = string.Empty;
    public int NewCount => _newIds.Count;

    /// <summary>Samples the next token from <see cref="Logits"/>, records it, and decides whether the sequence is finished.</summary>
    public (int Token, float LogProb) Step(int? endOfText, int budget)
    {
        (int token, float logProb) = Sampler.Next(Logits, CollectionsMarshal.AsSpan(_context), _counts);
        _context.Add(token);
        _newIds.Add(token);
        _logProbs.Add(logProb);
        _counts[token] = _counts.GetValueOrDefault(token) + 1;

        if (tokenizer is not null) Text = tokenizer.Decode(CollectionsMarshal.AsSpan(_newIds), skipSpecialTokens: true);
        if (options.StopAtEndOfText && token == endOfText) Finished = FinishReason.EndOfText;
        else if (FindStop() is int at)
        {
            Text = Text[..at];
            Finished = FinishReason.StopSequence;
        }
        else if (_newIds.Count >= budget) Finished = FinishReason.Length;
        if (Finished is FinishReason.Length) Text = WithoutBrokenTail(Text);
        return (token, logProb);
    }

    /// <summary>Marks the sequence finished (a reason already set is kept).</summary>
    public void Finish(FinishReason reason)
    {
        Finished ??= reason;
        if (Finished is FinishReason.Length or FinishReason.ContextFull) Text = WithoutBrokenTail(Text);
    }

    /// <summary>
    /// A sequence cut off by a length limit can end inside a multi-byte character; that half character decodes as
    /// U+FFFD and is left out of the text (the ids keep its bytes).
    /// </summary>
    private static string WithoutBrokenTail(string text) => text.TrimEnd('\uFFFD');

    /// <summary>Text that is final now and was not streamed before.</summary>
    public string TakeStreamableText()
    {
        string stable = Text;
        if (Finished is null)
        {
            int end = stable.Length;
            while (end > 0 && stable[end - 1] == '\uFFFD') end--;
            // Hold back what could still turn out to be the start of a stop sequence.
            if (_longestStop > 1) end = Math.Max(_streamed, end - (_longestStop - 1));
            if (end > 0 && end < stable.Length && char.IsLowSurrogate(stable[end])) end--;
            stable = stable[..Math.Max(end, _streamed)];
        }
        if (stable.Length <= _streamed) return string.Empty;
        string delta = stable[_streamed..];
        _streamed = stable.Length;
        return delta;
    }

    public GeneratedSequence ToResult(bool withLogProbs) =>
        new(Prompt, [.. _newIds], Text, Finished ?? FinishReason.Length, withLogProbs ? [.. _logProbs] : null);

    private int? FindStop()
    {
        if (_longestStop == 0) return null;
        int best = -1;
        foreach (string stop in options.StopSequences)
        {
            int at = Text.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (best < 0 || at < best)) best = at;
        }
        return best < 0 ? null : best;
    }
}
