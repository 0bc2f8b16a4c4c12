using Parquet;
using Parquet.Schema;

namespace Myna.Text.Corpus;

/// <summary>Reads one string column of a Parquet file (Hugging Face datasets ship these), one row group at a time,
/// so memory is bounded by the largest row group rather than the file.</summary>
internal static class ParquetTextReader
{
    public static IEnumerable<Document> Read(Stream seekable, string source, string column, Action<SkippedInput> skip)
    {
        CheckFooter(seekable);
        ParquetReader reader = ParquetReader.CreateAsync(seekable).GetAwaiter().GetResult();
        try
        {
            foreach (Document document in Read(reader, source, column, skip)) yield return document;
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>Parquet's footer length (the 4 bytes before the closing "PAR1") must fit in the file.</summary>
    /// <exception cref="InvalidDataException">It does not: the file is cut short or not Parquet.</exception>
    /// <remarks>
    /// Checked here because the Parquet library trusts it: a damaged length overflows or allocates whatever it claims
    /// before anything else is read.
    /// </remarks>
    private static void CheckFooter(Stream seekable)
    {
        const int Magic = 4, LengthField = 4;
        long length = seekable.Length;
        if (length < 2 * Magic + LengthField) throw new InvalidDataException($"not Parquet: {length} bytes is too short for its header and footer");
        Span<byte> tail = stackalloc byte[LengthField + Magic];
        seekable.Position = length - tail.Length;
        seekable.ReadExactly(tail);
        seekable.Position = 0;
        if (!tail[LengthField..].SequenceEqual("PAR1"u8)) throw new InvalidDataException("not Parquet: the file does not end in PAR1 (cut short?)");
        uint footer = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(tail);
        if (footer > length - 2 * Magic - LengthField)
            throw new InvalidDataException($"damaged Parquet: its footer claims {footer:N0} bytes, more than the {length:N0}-byte file holds");
    }

    private static IEnumerable<Document> Read(ParquetReader reader, string source, string column, Action<SkippedInput> skip)
    {
        DataField[] fields = reader.Schema.GetDataFields();
        DataField? field = Array.Find(fields, f => f.Name == column && f.Path.Length == 1)
            ?? Array.Find(fields, f => string.Equals(f.Name, column, StringComparison.OrdinalIgnoreCase));
        if (field is null)
        {
            skip(new SkippedInput(source, 0, $"no column '{column}' (columns: {string.Join(", ", fields.Select(f => f.Name))})"));
            yield break;
        }
        if (field.ClrType != typeof(string) && field.ClrType != typeof(ReadOnlyMemory<char>))
        {
            skip(new SkippedInput(source, 0, $"column '{column}' is {field.ClrType.Name}, not a string"));
            yield break;
        }

        long row = 0;
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using ParquetRowGroupReader group = reader.OpenRowGroupReader(g);
            var values = new string?[group.RowCount];
            group.ReadAsync(field, values.AsMemory()).GetAwaiter().GetResult();
            foreach (string? value in values)
            {
                row++;
                if (value is null) skip(new SkippedInput(source, row, $"null '{column}'"));
                else yield return new Document(value, source, row);
            }
        }
    }
}
