using Myna.Tensors;

namespace Myna.Models.Layers;

/// <summary>
/// Inverted dropout for training (GPT-2's <c>embd_pdrop</c> and <c>resid_pdrop</c>): each value of a site is kept with
/// probability 1 − p and scaled by 1 / (1 − p), or zeroed. Masks are counter-based: whether value i of site s is kept
/// depends only on (<see cref="Key"/>, s, i), so the backward pass recomputes the forward pass's mask instead of
/// storing it, any thread split gives the same mask, and a resumed run draws exactly the masks an uninterrupted one
/// would (the key comes from the seed and the step, not from a generator's state).
/// </summary>
/// <param name="Probability">p, the probability that a value is dropped, in [0, 1); 0 turns dropout off.</param>
/// <param name="Key">Selects the masks: one key per micro-batch (<see cref="KeyFor"/>).</param>
public readonly record struct Dropout(float Probability, ulong Key)
{
    /// <summary>No dropout: what evaluation and inference run.</summary>
    public static Dropout None => default;

    // Values per site are counted below 2^40 (a (B, T, C) site is far smaller), so sites never share counters.
    private const int SiteShift = 40;
    private const int Grain = 1 << 16; // values per parallel task

    /// <summary>Whether any value is dropped.</summary>
    public bool IsActive => Probability > 0;

    /// <summary>The site of the embedding output (wte + wpe).</summary>
    public const int EmbeddingSite = 0;

    /// <summary>The site of block <paramref name="layer"/>'s attention projection, before it joins the residual stream.</summary>
    public static int AttentionSite(int layer) => 1 + 2 * layer;

    /// <summary>The site of block <paramref name="layer"/>'s MLP projection, before it joins the residual stream.</summary>
    public static int MlpSite(int layer) => 2 + 2 * layer;

    /// <summary>The key of micro-batch <paramref name="microBatch"/> of a run seeded <paramref name="seed"/>, counted over the whole run.</summary>
    public static ulong KeyFor(ulong seed, long microBatch) => CounterRandom.Bits(seed ^ 0xD0D0_5EED_0000_0001UL, (ulong)microBatch);

    /// <summary>Checks p: [0, 1), so that kept values have a finite scale.</summary>
    /// <exception cref="ArgumentOutOfRangeException">p is outside [0, 1) or not a number.</exception>
    public static void CheckProbability(double probability, string name)
    {
        if (!(probability >= 0 && probability < 1))
            throw new ArgumentOutOfRangeException(name, probability, "the dropout probability must be in [0, 1).");
    }

    /// <summary>Whether value <paramref name="index"/> of <paramref name="site"/> is kept.</summary>
    public bool Keeps(int site, long index) => CounterRandom.Uniform(Key, ((ulong)site << SiteShift) + (ulong)index) > Probability;

    /// <summary>values[i] = kept ? values[i] / (1 − p) : 0, for the mask of <paramref name="site"/>; nothing when inactive.</summary>
    public void Apply(Span<float> values, int site)
    {
        if (IsActive) Mask(values, values, site);
    }

    /// <summary>
    /// The backward pass of <see cref="Apply"/> for <paramref name="count"/> values: d loss / d the site's input, which is
    /// <paramref name="gradient"/> itself when nothing is dropped, else the gradient masked into <paramref name="scratch"/>.
    /// </summary>
    public ReadOnlySpan<float> Backward(ReadOnlySpan<float> gradient, Span<float> scratch, int count, int site)
    {
        if (!IsActive) return gradient[..count];
        Mask(scratch[..count], gradient[..count], site);
        return scratch[..count];
    }

    /// <summary>destination[i] = kept ? source[i] / (1 − p) : 0: the backward pass of <see cref="Apply"/> (the same mask).</summary>
    public void Mask(Span<float> destination, ReadOnlySpan<float> source, int site)
    {
        if (source.Length > destination.Length) throw new ArgumentException("the destination is shorter than the source.", nameof(destination));
        if (!IsActive)
        {
            source.CopyTo(destination);
            return;
        }
        float scale = 1f / (1f - Probability);
        Dropout self = this;
        int length = source.Length, chunks = (length + Grain - 1) / Grain;
        unsafe
        {
            fixed (float* to = destination, from = source)
            {
                float* d = to, s = from;
                ComputePool.Shared.For(chunks, chunk =>
                {
                    int start = chunk * Grain, end = Math.Min(start + Grain, length);
                    for (int i = start; i < end; i++) d[i] = self.Keeps(site, i) ? s[i] * scale : 0f;
                });
            }
        }
    }
}
