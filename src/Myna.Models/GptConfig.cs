namespace Myna.Models;

/// <summary>
/// Shape of a GPT-2 style model. The defaults are GPT-2 small (124M), the model OpenAI released as "gpt2";
/// HF <c>config.json</c> names are given in brackets.
/// </summary>
public sealed record GptConfig
{
    /// <summary>Number of token ids [vocab_size]; 50257 = GPT-2's 50,000 BPE merges + 256 byte tokens + &lt;|endoftext|&gt;.</summary>
    public int VocabSize { get; init; } = 50257;

    /// <summary>Longest sequence the position table covers [n_positions / n_ctx]; GPT-2 was trained at 1024.</summary>
    public int ContextLength { get; init; } = 1024;

    /// <summary>Width of the residual stream, C [n_embd]; 768 in GPT-2 small.</summary>
    public int EmbeddingSize { get; init; } = 768;

    /// <summary>Attention heads per layer, NH [n_head]; 12 gives GPT-2 small's head size of 64.</summary>
    public int HeadCount { get; init; } = 12;

    /// <summary>Transformer blocks, L [n_layer]; 12 in GPT-2 small.</summary>
    public int LayerCount { get; init; } = 12;

    /// <summary>Whether the LM head reuses the token embedding (logits = x·wteᵀ) [tie_word_embeddings]; GPT-2 ties them.</summary>
    public bool TiedEmbeddings { get; init; } = true;

    /// <summary>Channels per head, hs = C / NH.</summary>
    public int HeadSize => EmbeddingSize / HeadCount;

    /// <summary>GPT-2 small, 124M parameters (HF "gpt2").</summary>
    public static GptConfig Gpt2Small { get; } = new();

    /// <summary>GPT-2 medium, 355M parameters.</summary>
    public static GptConfig Gpt2Medium { get; } = new() { EmbeddingSize = 1024, HeadCount = 16, LayerCount = 24 };

    /// <summary>GPT-2 large, 774M parameters.</summary>
    public static GptConfig Gpt2Large { get; } = new() { EmbeddingSize = 1280, HeadCount = 20, LayerCount = 36 };

    /// <summary>GPT-2 XL, 1558M parameters.</summary>
    public static GptConfig Gpt2XL { get; } = new() { EmbeddingSize = 1600, HeadCount = 25, LayerCount = 48 };

    /// <summary>A 2-layer, 128-wide model over the GPT-2 vocabulary (≈6.7M parameters, mostly the embedding): smoke tests and quick runs.</summary>
    public static GptConfig Tiny { get; } = new() { ContextLength = 256, EmbeddingSize = 128, HeadCount = 4, LayerCount = 2 };

    /// <summary>A 6-layer, 384-wide model over the GPT-2 vocabulary (≈30M parameters): laptop-sized training.</summary>
    public static GptConfig Small { get; } = new() { ContextLength = 512, EmbeddingSize = 384, HeadCount = 6, LayerCount = 6 };

    /// <summary>Preset names accepted by <see cref="FromPreset"/>.</summary>
    public static IReadOnlyList<string> PresetNames { get; } = ["tiny", "small", "gpt2", "gpt2-medium", "gpt2-large", "gpt2-xl"];

    /// <summary>Returns the preset with the given name (see <see cref="PresetNames"/>; case-insensitive).</summary>
    /// <exception cref="ArgumentException">The name is not a preset.</exception>
    public static GptConfig FromPreset(string name) => name.ToLowerInvariant() switch
    {
        "tiny" => Tiny,
        "small" => Small,
        "gpt2" => Gpt2Small,
        "gpt2-medium" => Gpt2Medium,
        "gpt2-large" => Gpt2Large,
        "gpt2-xl" => Gpt2XL,
        _ => throw new ArgumentException($"unknown preset '{name}'; use one of: {string.Join(", ", PresetNames)}.", nameof(name)),
    };

    /// <summary>Checks that the shape describes a buildable model.</summary>
    /// <exception cref="ArgumentException">A size is not positive, or the embedding size is not a multiple of the head count.</exception>
    public void Validate()
    {
        Positive(VocabSize, nameof(VocabSize));
        Positive(ContextLength, nameof(ContextLength));
        Positive(EmbeddingSize, nameof(EmbeddingSize));
        Positive(HeadCount, nameof(HeadCount));
        Positive(LayerCount, nameof(LayerCount));
        if (EmbeddingSize % HeadCount != 0)
            throw new ArgumentException(
                $"{nameof(EmbeddingSize)} ({EmbeddingSize}) must be a multiple of {nameof(HeadCount)} ({HeadCount}) so every head gets the same width.");
        // Every tensor lives in one float[] arena, so the whole model must index with an int. Counted in long first:
        // a config.json with n_ctx 1e9 must be refused here, not overflow an offset later.
        if ((long)ContextLength * EmbeddingSize > Array.MaxLength)
            throw new ArgumentException($"n_ctx {ContextLength} × n_embd {EmbeddingSize} positions are too many for one parameter arena; GPT-2 models use n_ctx 1024.");
        if ((long)VocabSize * EmbeddingSize > Array.MaxLength || (long)EmbeddingSize * 4 * EmbeddingSize > Array.MaxLength)
            throw new ArgumentException($"a {VocabSize} × {EmbeddingSize} model is too large for one parameter arena.");
        if (ParameterCount > Array.MaxLength)
            throw new ArgumentException($"the model has {ParameterCount:N0} parameters; one arena holds at most {Array.MaxLength:N0} (GPT-2 XL has 1.56 billion).");
    }

    /// <summary>
    /// The number of parameters, counted in 64 bits so that it can be checked before anything is allocated
    /// (the same tensors <see cref="ParameterLayout"/> lays out: embeddings, per block 12C² + 13C, ln_f, an untied head).
    /// </summary>
    public long ParameterCount
    {
        get
        {
            long c = EmbeddingSize;
            long embeddings = (long)VocabSize * c + (long)ContextLength * c;
            long block = 12 * c * c + 13 * c;
            long head = TiedEmbeddings ? 0 : (long)VocabSize * c;
            return embeddings + LayerCount * block + 2 * c + head;
        }
    }

    private static void Positive(int value, string name)
    {
        if (value < 1) throw new ArgumentException($"{name} must be at least 1; it is {value}.", name);
    }
}
