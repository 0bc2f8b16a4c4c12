namespace Myna.Models.Checkpoints;

/// <summary>Element types Myna reads from and writes to safetensors files (the names are the format's own).</summary>
public enum SafeTensorsDType
{
    /// <summary>IEEE 754 single precision.</summary>
    F32,

    /// <summary>IEEE 754 half precision.</summary>
    F16,

    /// <summary>bfloat16: the top 16 bits of a single.</summary>
    BF16,
}
