namespace Myna.Apps.Recommendation;

/// <summary>Interactions read from one source, with what was dropped on the way (never silently).</summary>
/// <param name="Source">The file the interactions came from, or a description of a generated log.</param>
/// <param name="Interactions">The interactions in file order.</param>
/// <param name="DroppedRows">Rows skipped as malformed (only with <see cref="MalformedRows.Drop"/>).</param>
/// <param name="DroppedLines">The first few skipped rows' line numbers (1-based), for the report.</param>
public sealed record InteractionLog(string Source, IReadOnlyList<Interaction> Interactions, long DroppedRows, IReadOnlyList<long> DroppedLines)
{
    /// <summary>How many dropped line numbers a log keeps: enough to find the problem, bounded for a huge broken file.</summary>
    public const int DroppedLinesKept = 10;

    /// <summary>A SHA-256 over the interactions in order (user, item, timestamp), hex: the model cache's key for this data.</summary>
    public string ContentHash()
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        Span<byte> row = stackalloc byte[16];
        foreach (Interaction interaction in Interactions)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(row, interaction.UserId);
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(row[4..], interaction.ItemId);
            System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(row[8..], interaction.Timestamp);
            hash.AppendData(row);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
