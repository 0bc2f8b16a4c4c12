using System.Text.Json;

namespace Myna.Models.Checkpoints;

/// <summary>
/// Parses and checks a safetensors header: an 8-byte little-endian length, then that many bytes of UTF-8 JSON
/// mapping names to <c>{dtype, shape, data_offsets}</c>, plus an optional <c>__metadata__</c> of strings. Every
/// inconsistency the format's own validator rejects is refused here too: offsets out of the data section, gaps
/// or overlaps between tensors, a byte size that does not match dtype × shape.
/// </summary>
public static class SafeTensorsHeader
{
    /// <summary>Largest header accepted (the reference implementation's limit), so a corrupt length cannot allocate gigabytes.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>Parses a header of <paramref name="json"/> for a file whose data section is <paramref name="dataLength"/> bytes.</summary>
    /// <exception cref="SafeTensorsFormatException">The header is not valid for that data section.</exception>
    public static (IReadOnlyList<SafeTensorInfo> Tensors, IReadOnlyDictionary<string, string> Metadata) Parse(
        ReadOnlySpan<byte> json, long dataLength, string source)
    {
        if (!System.Text.Unicode.Utf8.IsValid(json))
            throw new SafeTensorsFormatException($"{source}: the header is not UTF-8 text.");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            throw new SafeTensorsFormatException($"{source}: the header is not valid JSON ({ex.Message}).", ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new SafeTensorsFormatException($"{source}: the header is not a JSON object.");

            var tensors = new List<SafeTensorInfo>();
            var metadata = new Dictionary<string, string>();
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    ReadMetadata(property.Value, metadata, source);
                    continue;
                }
                tensors.Add(ReadTensor(property.Name, property.Value, source));
            }
            CheckOffsets(tensors, dataLength, source);
            return (tensors, metadata);
        }
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string source)
    {
        if (value.ValueKind != JsonValueKind.Object) throw new SafeTensorsFormatException($"{source}: __metadata__ is not an object of strings.");
        foreach (JsonProperty entry in value.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
                throw new SafeTensorsFormatException($"{source}: __metadata__['{entry.Name}'] is not a string.");
            metadata[entry.Name] = entry.Value.GetString()!;
        }
    }

    private static SafeTensorInfo ReadTensor(string name, JsonElement value, string source)
    {
        string where = $"{source}: tensor '{name}'";
        if (value.ValueKind != JsonValueKind.Object) throw new SafeTensorsFormatException($"{where} is not an object.");
        if (!value.TryGetProperty("dtype", out JsonElement dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw new SafeTensorsFormatException($"{where} has no dtype.");
        string dtypeText = dtypeElement.GetString()!;
        SafeTensorsDType dtype = dtypeText switch
        {
            "F32" => SafeTensorsDType.F32,
            "F16" => SafeTensorsDType.F16,
            "BF16" => SafeTensorsDType.BF16,
            _ => throw new SafeTensorsFormatException($"{where} has dtype {dtypeText}; Myna reads F32, F16 and BF16."),
        };

        if (!value.TryGetProperty("shape", out JsonElement shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
            throw new SafeTensorsFormatException($"{where} has no shape.");
        var shape = new List<long>();
        long elements = 1;
        foreach (JsonElement dim in shapeElement.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out long d) || d < 0)
                throw new SafeTensorsFormatException($"{where} has a shape entry that is not a non-negative whole number.");
            shape.Add(d);
            elements = d == 0 ? 0 : (elements > long.MaxValue / Math.Max(d, 1) ? throw new SafeTensorsFormatException($"{where} has a shape too large to address.") : elements * d);
        }

        if (!value.TryGetProperty("data_offsets", out JsonElement offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2
            || !offsets[0].TryGetInt64(out long begin) || !offsets[1].TryGetInt64(out long end) || begin < 0 || end < begin)
            throw new SafeTensorsFormatException($"{where} has no valid data_offsets [begin, end].");

        long expectedBytes = elements * ElementSize(dtype);
        if (end - begin != expectedBytes)
            throw new SafeTensorsFormatException($"{where} is {dtypeText} {FormatShape(shape)} ({expectedBytes} bytes) but its data_offsets span {end - begin} bytes.");
        return new SafeTensorInfo(name, dtype, [.. shape], begin, end);
    }

    private static void CheckOffsets(List<SafeTensorInfo> tensors, long dataLength, string source)
    {
        long next = 0;
        foreach (SafeTensorInfo tensor in tensors.OrderBy(t => t.Begin).ThenBy(t => t.End))
        {
            if (tensor.Begin != next)
                throw new SafeTensorsFormatException(tensor.Begin < next
                    ? $"{source}: tensor '{tensor.Name}' overlaps the tensor before it."
                    : $"{source}: there is a gap of {tensor.Begin - next} bytes before tensor '{tensor.Name}'.");
            next = tensor.End;
        }
        if (next != dataLength)
            throw new SafeTensorsFormatException(next > dataLength
                ? $"{source}: the tensors need {next} bytes of data but the file holds {dataLength}; it is truncated."
                : $"{source}: the file holds {dataLength - next} bytes after the last tensor.");
    }

    /// <summary>Bytes per element.</summary>
    public static int ElementSize(SafeTensorsDType dtype) => dtype == SafeTensorsDType.F32 ? 4 : 2;

    /// <summary>The format's name of a dtype.</summary>
    public static string Name(SafeTensorsDType dtype) => dtype.ToString();

    private static string FormatShape(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";
}
