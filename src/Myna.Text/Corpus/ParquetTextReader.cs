using Parquet;
using Parquet.Schema;

namespace Myna.Text.Corpus;

/// <summary>Reads one string column of a Parquet file (Hugging Face datasets ship these), one row group at a time,
/// so memory is bounded by the largest row group rather than the file.</summary>
internal static class ParquetTextReader
{
    public static IEnumerable<Document> Read(Stream seekable, string source, string column, Action<SkippedInput> skip)
    {
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
