namespace Myna.Bench.Generation;

/// <summary>Options of <c>myna bench generate</c>; each default is the measurement point.</summary>
public sealed record GenerateOptions
{
    /// <summary>Precisions to measure: f32, f16, int8 (llama.cpp runs the matching f32, f16, q8_0 GGUF).</summary>
    public IReadOnlyList<string> Dtypes { get; init; } = ["f32", "f16", "int8"];

    /// <summary>Prompt length for prefill (the 128).</summary>
    public int PromptTokens { get; init; } = 128;

    /// <summary>Tokens decoded after the prompt (the 64).</summary>
    public int NewTokens { get; init; } = 64;

    /// <summary>Sequences decoded together for the batched figure (the 8).</summary>
    public int Batch { get; init; } = 8;

    /// <summary>Threads for both engines (the machine's 2 cores).</summary>
    public int Threads { get; init; } = 2;

    /// <summary>Timed repetitions; the best is reported, since other work on the machine only ever slows a run down.</summary>
    public int Repeats { get; init; } = 5;

    /// <summary>Measure Myna only.</summary>
    public bool SkipLlama { get; init; }

    /// <summary>Model shape: GPT-2 124M.</summary>
    public string Preset { get; init; } = "gpt2";

    /// <summary>Seed for the random weights and prompt.</summary>
    public ulong Seed { get; init; } = 1234;
}
