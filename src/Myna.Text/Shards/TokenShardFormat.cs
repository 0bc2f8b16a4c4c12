namespace Myna.Text.Shards;

/// <summary>The token shard file layout (all little-endian):
/// <code>
/// offset size field
///      0    8 magic "MYNATOKS"
///      8    4 format version (1)
///     12    4 token width in bytes: 2 (uint16, vocabularies up to 65,536 ids) or 4 (uint32)
///     16    8 token count
///     24    4 vocabulary size
///     28   36 reserved, zero
///     64    … tokens, token count × width bytes
/// </code>
/// The 64-byte header keeps the tokens aligned for memory-mapped vector loads.</summary>
public static class TokenShardFormat
{
    /// <summary>The eight magic bytes at offset 0.</summary>
    public static ReadOnlySpan<byte> Magic => "MYNATOKS"u8;

    /// <summary>Current format version.</summary>
    public const uint Version = 1;

    /// <summary>Header size in bytes; tokens start here.</summary>
    public const int HeaderBytes = 64;

    /// <summary>Token width for a vocabulary: 2 bytes when every id fits in uint16, else 4.</summary>
    public static int WidthFor(int vocabSize) => vocabSize <= ushort.MaxValue + 1 ? 2 : 4;
}
