using Myna.Generation.Sampling;
using Myna.Models.Inference;
using Myna.Text.Tokenization;

namespace Myna.Generation;

/// <summary>
/// The decode loop over a KV-cache engine: prefill each prompt once, copy its cache for every extra return sequence,
/// then step all unfinished sequences together (one batched forward per step shares each weight read).
/// </summary>
internal static class TextGenerator
{
    /// <summary>Runs generation, reporting each new token through <paramref name="onToken"/> (may be null).</summary>
    public static IReadOnlyList<GeneratedSequence> Run(
        GptInference engine, GptTokenizer? tokenizer, int? endOfText, IReadOnlyList<int[]> prompts, GenerationOptions options,
        Action<GenerationChunk>? onToken, CancellationToken cancellation)
    {
        options.Validate();
        if (options.StopSequences.Count > 0 && tokenizer is null)
            throw new ArgumentException("StopSequences need a tokenizer to compare text; load the model with one.");
        int context = engine.Config.ContextLength, vocab = engine.Config.VocabSize, perPrompt = options.NumReturnSequences;
        int total = prompts.Count * perPrompt;
        if (total > engine.MaxSequences) throw new ArgumentException($"{total} sequences requested; the engine holds {engine.MaxSequences}.");
        for (int p = 0; p < prompts.Count; p++)
        {
            if (prompts[p].Length == 0) throw new ArgumentException($"prompt {p} is empty; give at least one token (for example <|endoftext|>).");
            if (prompts[p].Length > context)
                throw new ArgumentException($"prompt {p} has {prompts[p].Length} tokens; the model's context is {context}. Shorten the prompt.");
            foreach (int id in prompts[p])
            {
                if ((uint)id >= (uint)vocab) throw new ArgumentException($"prompt {p} holds token {id}, outside the vocabulary [0, {vocab}).");
            }
        }

        int baseSeed = options.Seed ?? Random.Shared.Next();
        var states = new SequenceState[total];
        for (int p = 0; p < prompts.Count; p++)
        {
            int first = p * perPrompt;
            engine.Reset(first);
            float[] logits = engine.Forward(first, prompts[p]);
            for (int r = 0; r < perPrompt; r++)
            {
                int slot = first + r;
                if (r > 0) engine.CopySequence(first, slot);
                // Each return sequence draws from its own stream, so results do not depend on batching.
                var sampler = new TokenSampler(options, unchecked(baseSeed * 7919 + slot));
                states[slot] = new SequenceState(prompts[p], sampler, tokenizer, options) { Logits = (float[])logits.Clone() };
            }
        }

        var active = new List<int>(total);
        var nextTokens = new List<int>(total);
        float[] stepLogits = new float[total * vocab];
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            active.Clear();
            nextTokens.Clear();
            for (int slot = 0; slot < total; slot++)
            {
                SequenceState state = states[slot];
                if (state.Finished is not null) continue;
                int budget = options.NewTokenBudget(state.Prompt.Length);
                if (budget == 0)
                {
                    state.Finish(FinishReason.Length);
                    continue;
                }
                (int token, float logProb) = state.Step(endOfText, budget);
                if (state.Finished is null && engine.Length(slot) + 1 > context) state.Finish(FinishReason.ContextFull);
                onToken?.Invoke(new GenerationChunk(slot, token, state.TakeStreamableText(), logProb, state.Finished));
                if (state.Finished is null)
                {
                    active.Add(slot);
                    nextTokens.Add(token);
                }
            }
            if (active.Count == 0) break;

            int[] ones = new int[active.Count];
            Array.Fill(ones, 1);
            engine.Forward(active.ToArray(), ones, nextTokens.ToArray(), stepLogits);
            for (int i = 0; i < active.Count; i++)
            {
                SequenceState state = states[active[i]];
                if (state.Logits.Length != vocab) state.Logits = new float[vocab];
                stepLogits.AsSpan(i * vocab, vocab).CopyTo(state.Logits);
            }
        }
        return states.Select(s => s.ToResult(options.ReturnLogProbs)).ToList();
    }
}
