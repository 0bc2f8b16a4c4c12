// Extracts MovieLens ml-latest-small (2016) from Debian's r-cran-dslabs (the `movielens` data frame in the lazy-load
// database usr/lib/R/site-library/dslabs/data/Rdata.rdb, indexed by Rdata.rdx) into ratings.csv and movies.csv in
// MovieLens's own layout. Run by recipes/apps-data.sh:
//   dotnet run recipes/apps/extract-movielens.cs -- UNPACKED_ROOT OUTPUT_FOLDER
// Reading R's serialization here saves installing R (the package pulls about 630 MB). Only what a data.frame uses
// is read: vectors, strings, attribute pairlists, factors, symbols and the compact/wrapped ALTREP forms.
// The output depends only on the package, so a rerun is byte-identical.

using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: dotnet run extract-movielens.cs -- UNPACKED_ROOT OUTPUT_FOLDER");
    return 2;
}

string dataFolder = Path.Combine(args[0], "usr", "lib", "R", "site-library", "dslabs", "data");
string indexPath = Path.Combine(dataFolder, "Rdata.rdx"), databasePath = Path.Combine(dataFolder, "Rdata.rdb");
if (!File.Exists(indexPath) || !File.Exists(databasePath))
{
    Console.Error.WriteLine($"dslabs lazy-load database not found in {dataFolder} (was r-cran-dslabs unpacked there?)");
    return 1;
}

// The index is a gzip-compressed serialized list(variables = list(name = c(offset, length), …), references, compressed).
RValue index;
using (var gzip = new GZipStream(File.OpenRead(indexPath), CompressionMode.Decompress))
    index = new RReader(gzip).ReadSerialized();
RValue variables = index.Element("variables");
RValue location = variables.Element("movielens");
long offset = (long)location.Number(0), length = (long)location.Number(1);
RValue compressed = index.Element("compressed");
bool zlibEntries = compressed switch
{
    RLogicals { Values: [1] } or RInts { Values: [1] } or RDoubles { Values: [1.0] } => true, // TRUE or 1: zlib; 2 bzip2, 3 xz
    _ => false,
};
if (!zlibEntries) throw new InvalidDataException("Rdata.rdb is not zlib-compressed (bzip2/xz lazy-load databases are not read here)");

// Each database entry: a 4-byte big-endian uncompressed length, then a zlib stream of the serialized object.
byte[] entry = new byte[length];
using (var file = File.OpenRead(databasePath))
{
    file.Seek(offset, SeekOrigin.Begin);
    file.ReadExactly(entry);
}
RValue frame;
using (var zlib = new ZLibStream(new MemoryStream(entry, 4, entry.Length - 4), CompressionMode.Decompress))
    frame = new RReader(zlib).ReadSerialized();

var columns = frame.Names().Select((name, i) => (name, value: ((RList)frame).Items[i])).ToDictionary(c => c.name, c => c.value);
foreach (string required in new[] { "movieId", "title", "year", "genres", "userId", "rating", "timestamp" })
    if (!columns.ContainsKey(required)) throw new InvalidDataException($"movielens has no column '{required}' (columns: {string.Join(", ", columns.Keys)})");

int[] userId = columns["userId"].AsInts(), movieId = columns["movieId"].AsInts(), timestamp = columns["timestamp"].AsInts();
int[] year = columns["year"].AsInts();
double[] rating = columns["rating"].AsDoubles();
string?[] title = columns["title"].AsStrings(), genres = columns["genres"].AsStrings();
int rows = userId.Length;

Directory.CreateDirectory(args[1]);
var invariant = CultureInfo.InvariantCulture;
using (var ratings = new StreamWriter(Path.Combine(args[1], "ratings.csv"), false, new UTF8Encoding(false)) { NewLine = "\n" })
{
    ratings.WriteLine("userId,movieId,rating,timestamp");
    for (int i = 0; i < rows; i++)
        ratings.WriteLine($"{userId[i].ToString(invariant)},{movieId[i].ToString(invariant)},{rating[i].ToString("0.0", invariant)},{timestamp[i].ToString(invariant)}");
}

// movies.csv as MovieLens writes it: the year back in the title, "(no genres listed)" where there are none.
var movies = new SortedDictionary<int, (string Title, string Genres)>();
for (int i = 0; i < rows; i++)
{
    string name = title[i] ?? "";
    if (year[i] != RReader.NaInt) name = $"{name} ({year[i].ToString(invariant)})";
    string genre = genres[i] ?? "(no genres listed)";
    if (movies.TryGetValue(movieId[i], out var seen) && seen != (name, genre))
        throw new InvalidDataException($"movie {movieId[i]} has two titles or genre lists: '{seen.Title}' and '{name}'");
    movies[movieId[i]] = (name, genre);
}
using (var writer = new StreamWriter(Path.Combine(args[1], "movies.csv"), false, new UTF8Encoding(false)) { NewLine = "\n" })
{
    writer.WriteLine("movieId,title,genres");
    foreach (var (id, movie) in movies)
        writer.WriteLine($"{id.ToString(invariant)},{Csv(movie.Title)},{Csv(movie.Genres)}");
}

Console.Error.WriteLine($"movielens: {rows} ratings by {userId.Distinct().Count()} users on {movies.Count} movies");
return 0;

static string Csv(string field) =>
    field.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;

/// <summary>A value read from R's serialization, with its attributes (names, class, levels, row.names, …).</summary>
abstract class RValue
{
    public List<(string? Tag, RValue Value)> Attributes { get; set; } = [];

    public RValue? Attribute(string name) => Attributes.FirstOrDefault(a => a.Tag == name).Value;

    public string[] Names() => Attribute("names") is RStrings names ? names.Values.Select(n => n ?? "").ToArray() : [];

    /// <summary>The element of a named list.</summary>
    public RValue Element(string name)
    {
        int i = Array.IndexOf(Names(), name);
        if (this is not RList list || i < 0) throw new InvalidDataException($"no element '{name}' in the R list");
        return list.Items[i];
    }

    public double Number(int i) => this switch
    {
        RInts ints => ints.Values[i],
        RDoubles doubles => doubles.Values[i],
        _ => throw new InvalidDataException($"expected a number vector, found {GetType().Name}"),
    };

    public int[] AsInts() => this switch
    {
        RInts ints when Attribute("levels") is null => ints.Values,
        RDoubles doubles => doubles.Values.Select(d => double.IsNaN(d) ? RReader.NaInt : checked((int)d)).ToArray(),
        _ => throw new InvalidDataException($"expected an integer column, found {GetType().Name}"),
    };

    public double[] AsDoubles() => this switch
    {
        RDoubles doubles => doubles.Values,
        RInts ints => ints.Values.Select(v => (double)v).ToArray(),
        _ => throw new InvalidDataException($"expected a numeric column, found {GetType().Name}"),
    };

    /// <summary>A character column, or a factor's labels.</summary>
    public string?[] AsStrings()
    {
        if (this is RStrings strings) return strings.Values;
        if (this is RInts codes && Attribute("levels") is RStrings levels)
            return codes.Values.Select(c => c == RReader.NaInt ? null : levels.Values[c - 1]).ToArray();
        throw new InvalidDataException($"expected a character or factor column, found {GetType().Name}");
    }
}

sealed class RNull : RValue;
sealed class RSymbol(string name) : RValue { public string Name { get; } = name; }
sealed class REnvironment : RValue;
sealed class RChars(string? value) : RValue { public string? Value { get; } = value; }
sealed class RInts(int[] values) : RValue { public int[] Values { get; } = values; }
sealed class RLogicals(int[] values) : RValue { public int[] Values { get; } = values; }
sealed class RDoubles(double[] values) : RValue { public double[] Values { get; } = values; }
sealed class RStrings(string?[] values) : RValue { public string?[] Values { get; } = values; }
sealed class RList(RValue[] items) : RValue { public RValue[] Items { get; } = items; }
sealed class RRaw(byte[] bytes) : RValue { public byte[] Bytes { get; } = bytes; }
sealed class RPairList(List<(string? Tag, RValue Value)> items) : RValue { public List<(string? Tag, RValue Value)> Items { get; } = items; }

/// <summary>Reads R's XDR serialization (format versions 2 and 3), the subset that data frames use.</summary>
sealed class RReader(Stream stream)
{
    public const int NaInt = int.MinValue;

    private const int NilValue = 254, RefSxp = 255, GlobalEnv = 253, UnboundValue = 252, MissingArg = 251, BaseNamespace = 247,
        EmptyEnv = 242, BaseEnv = 241, PackageSxp = 250, NamespaceSxp = 249, PersistSxp = 248, AltrepSxp = 238,
        AttrListSxp = 239, AttrLangSxp = 240;
    private const int SymSxp = 1, ListSxp = 2, CloSxp = 3, EnvSxp = 4, PromSxp = 5, LangSxp = 6, CharSxp = 9, LglSxp = 10,
        IntSxp = 13, RealSxp = 14, CplxSxp = 15, StrSxp = 16, DotSxp = 17, VecSxp = 19, ExprSxp = 20, RawSxp = 24, S4Sxp = 25;

    private readonly List<RValue> _references = [];
    private readonly byte[] _buffer = new byte[8];

    public RValue ReadSerialized()
    {
        Span<byte> format = stackalloc byte[2];
        stream.ReadExactly(format);
        if (format[0] != (byte)'X' || format[1] != (byte)'\n')
            throw new InvalidDataException("not R's XDR serialization (expected 'X\\n')");
        int version = ReadInt();
        ReadInt(); // R version that wrote it
        ReadInt(); // oldest R version that reads it
        if (version == 3) ReadBytes(ReadInt()); // native encoding name
        else if (version != 2) throw new InvalidDataException($"R serialization version {version} is not supported");
        return ReadItem();
    }

    private RValue ReadItem()
    {
        int flags = ReadInt();
        int type = flags & 0xFF;
        bool hasAttributes = (flags & (1 << 9)) != 0, hasTag = (flags & (1 << 10)) != 0;
        int levels = flags >> 12;
        switch (type)
        {
            case NilValue:
                return new RNull();
            case GlobalEnv or EmptyEnv or BaseEnv or BaseNamespace:
                return new REnvironment();
            case UnboundValue or MissingArg:
                return new RNull();
            case RefSxp:
            {
                int index = flags >> 8;
                if (index == 0) index = ReadInt();
                return _references[index - 1];
            }
            case PersistSxp or PackageSxp or NamespaceSxp:
            {
                ReadInt(); // always 0
                int n = ReadInt();
                for (int i = 0; i < n; i++) ReadItem();
                var value = new REnvironment();
                _references.Add(value);
                return value;
            }
            case SymSxp:
            {
                var symbol = new RSymbol(((RChars)ReadItem()).Value ?? "");
                _references.Add(symbol);
                return symbol;
            }
            case EnvSxp:
            {
                ReadInt(); // locked
                var environment = new REnvironment();
                _references.Add(environment);
                ReadItem(); // enclosure
                ReadItem(); // frame
                ReadItem(); // hash table
                environment.Attributes = AttributeList(ReadItem());
                return environment;
            }
            case ListSxp or LangSxp or CloSxp or PromSxp or DotSxp or AttrListSxp or AttrLangSxp:
            {
                // A pairlist: read node by node (the tail is the next node), so long lists do not recurse deeply.
                var items = new List<(string? Tag, RValue Value)>();
                List<(string?, RValue)> attributes = [];
                bool first = true;
                while (true)
                {
                    RValue? nodeAttributes = hasAttributes ? ReadItem() : null;
                    if (first && nodeAttributes is not null) attributes = AttributeList(nodeAttributes);
                    first = false;
                    string? tag = hasTag ? (ReadItem() as RSymbol)?.Name : null;
                    items.Add((tag, ReadItem()));
                    int next = ReadInt();
                    int nextType = next & 0xFF;
                    if (nextType is not (ListSxp or LangSxp or AttrListSxp or AttrLangSxp))
                    {
                        PushBack(next);
                        RValue tail = ReadItem();
                        if (tail is not RNull) items.Add((null, tail));
                        break;
                    }
                    hasAttributes = (next & (1 << 9)) != 0;
                    hasTag = (next & (1 << 10)) != 0;
                }
                return new RPairList(items) { Attributes = attributes };
            }
            case CharSxp:
            {
                int length = ReadInt();
                if (length == -1) return new RChars(null);
                byte[] bytes = ReadBytes(length);
                bool latin1 = (levels & (1 << 2)) != 0;
                return new RChars(latin1 ? Encoding.Latin1.GetString(bytes) : Encoding.UTF8.GetString(bytes));
            }
            case LglSxp or IntSxp:
            {
                int[] values = new int[ReadLength()];
                for (int i = 0; i < values.Length; i++) values[i] = ReadInt();
                RValue vector = type == IntSxp ? new RInts(values) : new RLogicals(values);
                return WithAttributes(vector, hasAttributes);
            }
            case RealSxp:
            {
                double[] values = new double[ReadLength()];
                for (int i = 0; i < values.Length; i++) values[i] = ReadDouble();
                return WithAttributes(new RDoubles(values), hasAttributes);
            }
            case CplxSxp:
            {
                long n = ReadLength();
                for (long i = 0; i < 2 * n; i++) ReadDouble();
                return WithAttributes(new RNull(), hasAttributes);
            }
            case StrSxp:
            {
                string?[] values = new string?[ReadLength()];
                for (int i = 0; i < values.Length; i++) values[i] = ((RChars)ReadItem()).Value;
                return WithAttributes(new RStrings(values), hasAttributes);
            }
            case VecSxp or ExprSxp:
            {
                RValue[] items = new RValue[ReadLength()];
                for (int i = 0; i < items.Length; i++) items[i] = ReadItem();
                return WithAttributes(new RList(items), hasAttributes);
            }
            case RawSxp:
                return WithAttributes(new RRaw(ReadBytes(checked((int)ReadLength()))), hasAttributes);
            case S4Sxp:
                return WithAttributes(new RNull(), hasAttributes);
            case AltrepSxp:
            {
                var info = (RPairList)ReadItem();
                RValue state = ReadItem();
                RValue attributes = ReadItem();
                RValue value = Expand(((RSymbol)info.Items[0].Value).Name, state);
                value.Attributes = AttributeList(attributes);
                return value;
            }
            default:
                throw new InvalidDataException($"R object type {type} is not read here (only what data frames use)");
        }
    }

    /// <summary>The plain vector an ALTREP object stands for.</summary>
    private static RValue Expand(string altrepClass, RValue state)
    {
        switch (altrepClass)
        {
            case "compact_intseq":
            {
                double[] s = ((RDoubles)state).Values; // length, first, step
                int n = checked((int)s[0]), start = (int)s[1], step = (int)s[2];
                return new RInts(Enumerable.Range(0, n).Select(i => start + i * step).ToArray());
            }
            case "compact_realseq":
            {
                double[] s = ((RDoubles)state).Values;
                int n = checked((int)s[0]);
                return new RDoubles(Enumerable.Range(0, n).Select(i => s[1] + i * s[2]).ToArray());
            }
            case "wrap_integer" or "wrap_real" or "wrap_logical" or "wrap_string" or "wrap_list" or "wrap_raw":
                return ((RList)state).Items[0]; // list(original vector, metadata)
            default:
                throw new InvalidDataException($"ALTREP class '{altrepClass}' is not read here");
        }
    }

    private RValue WithAttributes(RValue value, bool hasAttributes)
    {
        if (hasAttributes) value.Attributes = AttributeList(ReadItem());
        return value;
    }

    private static List<(string?, RValue)> AttributeList(RValue value) => value is RPairList list ? list.Items : [];

    private long ReadLength()
    {
        int length = ReadInt();
        if (length != -1) return length;
        long upper = (uint)ReadInt(), lower = (uint)ReadInt();
        return (upper << 32) + lower;
    }

    private int? _pushedBack;

    private void PushBack(int value) => _pushedBack = value;

    private int ReadInt()
    {
        if (_pushedBack is int pending)
        {
            _pushedBack = null;
            return pending;
        }
        stream.ReadExactly(_buffer, 0, 4);
        return BinaryPrimitives.ReadInt32BigEndian(_buffer);
    }

    private double ReadDouble()
    {
        stream.ReadExactly(_buffer, 0, 8);
        return BinaryPrimitives.ReadDoubleBigEndian(_buffer);
    }

    private byte[] ReadBytes(int count)
    {
        byte[] bytes = new byte[count];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
