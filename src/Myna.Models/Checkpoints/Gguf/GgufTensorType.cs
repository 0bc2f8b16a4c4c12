namespace Myna.Models.Checkpoints.Gguf;

/// <summary>ggml tensor types Myna writes (values are ggml's enum).</summary>
public enum GgufTensorType : uint
{
    /// <summary>32-bit float.</summary>
    F32 = 0,

    /// <summary>16-bit float.</summary>
    F16 = 1,

    /// <summary>Blocks of 32 int8 with an f16 scale.</summary>
    Q8_0 = 8,
}
