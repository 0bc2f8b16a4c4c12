using Myna.Generation;
using Myna.Text.Tokenization;

namespace Myna.Tests.Generation;

/// <summary>
/// The incremental decoder against an oracle that re-decodes every new id each step (how generation worked before):
/// same text, finish reason, stop position and streamed pieces, on random byte sequences with stops spanning tokens.
/// </summary>
public class SequenceDecoderTests(TinyModelDirectory directory) : IClassFixture<TinyModelDirectory>
{
    private const int Vocab = 257;

    /// <summary>The previous whole-text implementation, kept as the test's reference.</summary>
    private sealed class FullDecodeOracle(GptTokenizer tokenizer, GenerationOptions options, int promptLength, int context)
    {
        private readonly List<int> _ids = [];
        private readonly int _longest = options.StopSequences.Count == 0 ? 0 : options.StopSequences.Max(s => s.Length);
        private int _streamed;
        public FinishReason? Finished { get; private set; }
        public string Text { get; private set; } = "";

        public string Step(int token)
        {
            _ids.Add(token);
            Text = tokenizer.Decode(_ids.ToArray(), skipSpecialTokens: true);
            int budget = options.NewTokenBudget(promptLength);
            if (options.StopAtEndOfText && token == TinyModelDirectory.EndOfText) Finished = FinishReason.EndOfText;
            else if (FindStop() is int at)
            {
                Text = Text[..at];
                Finished = FinishReason.StopSequence;
            }
            else if (_ids.Count >= budget) Finished = FinishReason.Length;
            if (Finished is null && promptLength + _ids.Count > context) Finished = FinishReason.ContextFull;
            if (Finished is FinishReason.Length or FinishReason.ContextFull) Text = Text.TrimEnd('\uFFFD');
            return TakeStreamable();
        }

        private string TakeStreamable()
        {
            string stable = Text;
            if (Finished is null)
            {
                int end = stable.Length;
                while (end > 0 && stable[end - 1] == '\uFFFD') end--;
                if (_longest > 1) end = Math.Max(_streamed, end - (_longest - 1));
                if (end > 0 && end < stable.Length && char.IsLowSurrogate(stable[end])) end--;
                stable = stable[..Math.Max(end, _streamed)];
            }
            if (stable.Length <= _streamed) return "";
            string delta = stable[_streamed..];
            _streamed = stable.Length;
            return delta;
        }

        private int? FindStop()
        {
            int best = -1;
            foreach (string stop in options.StopSequences)
            {
                int at = Text.IndexOf(stop, StringComparison.Ordinal);
                if (at >= 0 && (best < 0 || at < best)) best = at;
            }
            return best < 0 ? null : best;
        }
    }

    private static float[] OneHot(int token)
    {
        var logits = new float[Vocab];
        logits[token] = 100f;
        return logits;
    }

    [Fact]
    public void IncrementalTextStopsAndStreamEqualTheFullDecodeOnRandomSequences()
    {
        GptTokenizer tokenizer = GptTokenizer.FromPretrained(directory.Path);
        var random = new Random(11);
        string[] alphabet = ["a", "b", "é", "€", "😀", "\uFFFD", "ab", "b€"];
        for (int trial = 0; trial < 400; trial++)
        {
            int length = random.Next(1, 30);
            int[] ids = Enumerable.Range(0, length).Select(_ => random.Next(10) switch
            {
                0 => TinyModelDirectory.EndOfText,
                < 4 => random.Next(0x80, 256),
                < 7 => "ab€é"[random.Next(4)] < 128 ? random.Next(97, 99) : random.Next(256),
                _ => (int)System.Text.Encoding.UTF8.GetBytes(alphabet[random.Next(alphabet.Length)])[0],
            }).ToArray();
            // Stops: strings made of the alphabet (multi-character, so they span tokens) or cut from the text itself.
            string full = tokenizer.Decode(ids, skipSpecialTokens: true);
            var stops = new List<string>();
            for (int s = random.Next(0, 3); s > 0; s--)
            {
                if (full.Length >= 3 && random.Next(2) == 0)
                {
                    int at = random.Next(full.Length - 2);
                    stops.Add(full.Substring(at, random.Next(1, Math.Min(4, full.Length - at) + 1)));
                }
                else stops.Add(string.Concat(Enumerable.Range(0, random.Next(1, 4)).Select(_ => alphabet[random.Next(alphabet.Length)])));
            }
            var options = new GenerationOptions
            {
                MaxNewTokens = random.Next(1, 35),
                StopSequences = stops,
                StopAtEndOfText = random.Next(3) > 0,
                ReturnLogProbs = true,
            };
            int promptLength = random.Next(1, 5), context = random.Next(8, 40);
            int[] prompt = new int[promptLength];
            var decoder = new SequenceDecoder(prompt, options, seed: 1, choiceIndex: 0, tokenizer, TinyModelDirectory.EndOfText, context);
            var oracle = new FullDecodeOracle(tokenizer, options, promptLength, context);
            var streamed = new System.Text.StringBuilder();
            foreach (int id in ids)
            {
                if (decoder.IsFinished) break;
                GenerationChunk chunk = decoder.Accept(OneHot(id));
                Assert.Equal(id, chunk.TokenId);
                Assert.Equal(oracle.Step(id), chunk.Text);
                Assert.Equal(oracle.Finished, chunk.FinishReason);
                streamed.Append(chunk.Text);
            }
            if (!decoder.IsFinished) decoder.Finish(FinishReason.Length);
            Assert.Equal(oracle.Finished ?? FinishReason.Length, decoder.FinishReason);
            Assert.Equal(oracle.Finished is null ? oracle.Text.TrimEnd('\uFFFD') : oracle.Text, decoder.Text);
            if (oracle.Finished is not null) Assert.Equal(decoder.Text, streamed.ToString());
        }
    }

    [Fact]
    public void AStopSplitAcrossManyTokensIsFoundAndNeverStreamed()
    {
        GptTokenizer tokenizer = GptTokenizer.FromPretrained(directory.Path);
        var options = new GenerationOptions { MaxNewTokens = 50, StopSequences = ["€END"] };
        var decoder = new SequenceDecoder([1], options, 0, 0, tokenizer, TinyModelDirectory.EndOfText, 64);
        var streamed = new System.Text.StringBuilder();
        foreach (byte b in System.Text.Encoding.UTF8.GetBytes("hi €EN€END tail")) streamed.Append(decoder.IsFinished ? "" : decoder.Accept(OneHot(b)).Text);
        Assert.Equal(FinishReason.StopSequence, decoder.FinishReason);
        Assert.Equal("hi €EN", decoder.Text);
        Assert.Equal("hi €EN", streamed.ToString());
    }

    [Fact]
    public void AZeroBudgetEndsBeforeTheFirstToken()
    {
        var decoder = new SequenceDecoder([1, 2], new GenerationOptions { MaxNewTokens = 0 }, 0, 0, null, null, 64);
        Assert.Equal(FinishReason.Length, decoder.FinishReason);
        Assert.Empty(decoder.ToResult().NewIds);
    }
}
