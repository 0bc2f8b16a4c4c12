using System.Buffers.Binary;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Myna.Models.Checkpoints;
using Myna.Text.Output;

namespace Myna.Tests.Models.Checkpoints;

public sealed class SafeTensorsTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "myna-st-" + Guid.NewGuid().ToString("N"));

    public SafeTensorsTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    /// <summary>A file assembled byte by byte from the format description, independent of our writer.</summary>
    private static byte[] HandMadeFile(string header, byte[] data)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        var file = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        data.CopyTo(file, 8 + json.Length);
        return file;
    }

    private static byte[] Floats(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        return bytes;
    }

    [Fact]
    public void ReadsAHandMadeFile()
    {
        // 2x2 F32 "w" then F16 "b" of [1.5, -2] (0x3E00, 0xC000) then BF16 "c" of [1] (0x3F80).
        byte[] data = [.. Floats(1, 2, 3, 4), 0x00, 0x3E, 0x00, 0xC0, 0x80, 0x3F];
        string header = """{"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"b":{"dtype":"F16","shape":[2],"data_offsets":[16,20]},"c":{"dtype":"BF16","shape":[1],"data_offsets":[20,22]}}""";
        File.WriteAllBytes(PathOf("hand.safetensors"), HandMadeFile(header, data));

        using SafeTensorsFile file = SafeTensorsFile.Open(PathOf("hand.safetensors"));
        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Equal(["w", "b", "c"], file.Tensors.Select(t => t.Name));
        var w = new float[4];
        file.ReadFloat32("w", w);
        Assert.Equal([1f, 2f, 3f, 4f], w);
        var b = new float[2];
        file.ReadFloat32("b", b);
        Assert.Equal([1.5f, -2f], b);
        var c = new float[1];
        file.ReadFloat32("c", c);
        Assert.Equal([1f], c);
    }

    [Theory]
    [InlineData(SafeTensorsDType.F32)]
    [InlineData(SafeTensorsDType.F16)]
    [InlineData(SafeTensorsDType.BF16)]
    public void WriteThenReadRoundTripsToTheStoredPrecision(SafeTensorsDType dtype)
    {
        var random = new Random(7);
        float[] values = Enumerable.Range(0, 3 * 5 * 7).Select(_ => (float)(random.NextDouble() * 8 - 4)).ToArray();
        string path = PathOf($"rt-{dtype}.safetensors");
        SafeTensorsWriter.Write(path, [new TensorToWrite("x", [3, 5, 7], values, dtype), new TensorToWrite("empty", [0, 4], Array.Empty<float>(), dtype)],
            new Dictionary<string, string> { ["format"] = "pt" });

        Assert.Equal(0UL, BinaryPrimitives.ReadUInt64LittleEndian(File.ReadAllBytes(path)) % 8);
        using SafeTensorsFile file = SafeTensorsFile.Open(path);
        var read = new float[values.Length];
        file.ReadFloat32("x", read);
        for (int i = 0; i < values.Length; i++)
        {
            float expected = dtype switch
            {
                SafeTensorsDType.F16 => (float)(Half)values[i],
                SafeTensorsDType.BF16 => BitConverter.Int32BitsToSingle(ElementConversion.ToBFloat16(values[i]) << 16),
                _ => values[i],
            };
            Assert.Equal(expected, read[i]);
        }
        Assert.Equal([0L, 4L], file.Find("empty")!.Shape);
    }

    [Theory]
    [InlineData(1.0f, (ushort)0x3F80)]
    [InlineData(1.00390625f, (ushort)0x3F80)] // exactly half-way: ties to even (down)
    [InlineData(1.01171875f, (ushort)0x3F82)] // half-way above an odd mantissa: ties to even (up)
    [InlineData(-2.5f, (ushort)0xC020)]
    public void BFloat16RoundsToNearestEven(float value, ushort expected) => Assert.Equal(expected, ElementConversion.ToBFloat16(value));

    [Theory]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 4, "truncated")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 12, "after the last tensor")]
    [InlineData("""{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", 8, "'a' is F32 [3]")]
    [InlineData("""{"a":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}""", 8, "dtype I64")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[2,6]}}""", 8, "overlaps")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8, "gap of 4 bytes")]
    [InlineData("""{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}""", 4, "shape entry")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1]}}""", 4, "data_offsets")]
    [InlineData("""{"a": 1""", 4, "not valid JSON")]
    [InlineData("""[1, 2]""", 4, "does not start with '{'")]
    public void InvalidFilesAreRefusedWithAReasonNamingTheFile(string header, int dataBytes, string reason)
    {
        string path = PathOf("bad.safetensors");
        File.WriteAllBytes(path, HandMadeFile(header, new byte[dataBytes]));
        var error = Assert.Throws<SafeTensorsFormatException>(() => SafeTensorsFile.Open(path));
        Assert.Contains(reason, error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void HeaderLengthBeyondTheFileIsTruncation()
    {
        string path = PathOf("short.safetensors");
        byte[] file = HandMadeFile("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", new byte[4]);
        File.WriteAllBytes(path, file[..20]);
        Assert.Contains("truncated", Assert.Throws<SafeTensorsFormatException>(() => SafeTensorsFile.Open(path)).Message);

        BinaryPrimitives.WriteUInt64LittleEndian(file, ulong.MaxValue);
        File.WriteAllBytes(path, file);
        Assert.Contains("more than", Assert.Throws<SafeTensorsFormatException>(() => SafeTensorsFile.Open(path)).Message);
    }

    [Fact]
    public void MissingTensorAndWrongDestinationAreClearErrors()
    {
        string path = PathOf("one.safetensors");
        SafeTensorsWriter.Write(path, [new TensorToWrite("a", [2, 3], new float[6])]);
        using SafeTensorsFile file = SafeTensorsFile.Open(path);
        Assert.Contains("'nope'", Assert.Throws<KeyNotFoundException>(() => file.ReadFloat32("nope", new float[1])).Message);
        Assert.Contains("[2, 3]", Assert.Throws<ArgumentException>(() => file.ReadFloat32("a", new float[5])).Message);
    }

    [Fact]
    public void FailedWriteLeavesThePreviousFileIntact()
    {
        string path = PathOf("keep.safetensors");
        SafeTensorsWriter.Write(path, [new TensorToWrite("a", [1], new float[] { 42 })]);
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[100]);
            throw new InvalidOperationException("disk full, say");
        }));
        using SafeTensorsFile file = SafeTensorsFile.Open(path);
        var value = new float[1];
        file.ReadFloat32("a", value);
        Assert.Equal(42f, value[0]);
        Assert.Single(Directory.GetFiles(_directory));
    }

    [Fact]
    public void FuzzedFilesEitherOpenOrFailWithAFormatError()
    {
        string valid = PathOf("valid.safetensors");
        SafeTensorsWriter.Write(valid, [
            new TensorToWrite("h.0.w", [4, 3], Enumerable.Range(0, 12).Select(i => (float)i).ToArray(), SafeTensorsDType.F16),
            new TensorToWrite("h.0.b", [3], new float[] { 1, 2, 3 }),
        ]);
        byte[] original = File.ReadAllBytes(valid);
        string fuzzed = PathOf("fuzzed.safetensors");

        Gen<(int Kind, int Position, byte Value)> mutation =
            from kind in Gen.Choose(0, 2)
            from position in Gen.Choose(0, original.Length - 1)
            from value in Gen.Choose(0, 255)
            select (kind, position, (byte)value);

        Prop.ForAll(mutation.ArrayOf().ToArbitrary(), mutations =>
        {
            byte[] bytes = (byte[])original.Clone();
            foreach (var (kind, position, value) in mutations)
            {
                if (kind == 2) bytes = bytes[..Math.Min(position, bytes.Length)];
                else if (position < bytes.Length) bytes[position] = kind == 0 ? value : (byte)(bytes[position] ^ (1 << (value % 8)));
            }
            File.WriteAllBytes(fuzzed, bytes);
            try
            {
                using SafeTensorsFile file = SafeTensorsFile.Open(fuzzed);
                foreach (SafeTensorInfo tensor in file.Tensors) file.ReadFloat32(tensor.Name, new float[tensor.ElementCount]);
                return true;
            }
            catch (SafeTensorsFormatException)
            {
                return true;
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(400));
    }
}
