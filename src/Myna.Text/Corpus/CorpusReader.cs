namespace Myna.Text.Corpus;

/// <summary>Streams documents out of files and folders of any supported format (<see cref="FileFormat"/>), gzip or not.
/// Memory stays flat: files are read one at a time and, except for HTML pages and Parquet row groups, line by line.
/// Anything unreadable (binary, undecodable, malformed) is reported through <see cref="Skipped"/>, never thrown.</summary>
public sealed class CorpusReader(CorpusOptions options)
{
    private long _bytesRead;
    private int _filesCompleted;

    /// <summary>Called for every file or record that could not be used.</summary>
    public event Action<SkippedInput>? Skipped;

    /// <summary>Files read to their end without a problem (including files that held no document).</summary>
    public int FilesCompleted => Volatile.Read(ref _filesCompleted);

    /// <summary>Bytes read from disk so far (compressed bytes for .gz files): the measure for a progress bar.</summary>
    public long BytesRead => Interlocked.Read(ref _bytesRead);

    /// <summary>Myna's own metadata files, left out when walking a folder (so a prepare output folder can be the input
    /// of the next step without noise); named explicitly, they are read like any file.</summary>
    private static readonly HashSet<string> MetadataFiles = new(StringComparer.Ordinal) { "report.json", "meta.json" };

    /// <summary>Lists the files under <paramref name="paths"/>: files as given, folders walked recursively in ordinal
    /// order so that every run sees the same sequence. A path that does not exist is reported as skipped.</summary>
    /// <remarks>
    /// Only regular files are read. A FIFO, socket or device is skipped (opening one can block forever, or read without
    /// end), and so is a link to a folder met during a walk (it can loop back, or lead outside what was named); a link
    /// to a regular file is read. A path named explicitly is taken as named, links followed.
    /// </remarks>
    public IEnumerable<string> ExpandPaths(IEnumerable<string> paths) => Expand(paths, skip => Skipped?.Invoke(skip));

    private static IEnumerable<string> Expand(IEnumerable<string> paths, Action<SkippedInput>? skipped)
    {
        foreach (string path in paths)
        {
            switch (FileKinds.Of(path, followLinks: true))
            {
                case FileKind.Regular:
                    yield return path;
                    break;
                case FileKind.Directory:
                    var files = new List<string>();
                    Walk(path, files, skipped);
                    files.Sort(StringComparer.Ordinal);
                    foreach (string file in files) yield return file;
                    break;
                case FileKind.Missing:
                    skipped?.Invoke(new SkippedInput(path, 0, "no such file or folder"));
                    break;
                default:
                    skipped?.Invoke(new SkippedInput(path, 0, $"{FileKinds.Describe(path)}, not a file to read"));
                    break;
            }
        }
    }

    private static void Walk(string folder, List<string> files, Action<SkippedInput>? skipped)
    {
        IEnumerable<string> entries;
        try
        {
            entries = Directory.EnumerateFileSystemEntries(folder).ToList();
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            skipped?.Invoke(new SkippedInput(folder, 0, ex is UnauthorizedAccessException ? "folder not readable (permission denied)" : $"folder not readable ({ex.Message})"));
            return;
        }
        foreach (string entry in entries)
        {
            switch (FileKinds.Of(entry, followLinks: false))
            {
                case FileKind.Regular:
                    if (!MetadataFiles.Contains(Path.GetFileName(entry))) files.Add(entry);
                    break;
                case FileKind.Directory:
                    Walk(entry, files, skipped);
                    break;
                case FileKind.SymbolicLink:
                    FileKind target = FileKinds.Of(entry, followLinks: true);
                    if (target == FileKind.Regular)
                    {
                        if (!MetadataFiles.Contains(Path.GetFileName(entry))) files.Add(entry);
                    }
                    else
                    {
                        skipped?.Invoke(new SkippedInput(entry, 0, target switch
                        {
                            FileKind.Directory => "link to a folder, not followed (it could loop or lead outside the input); name the folder itself to read it",
                            FileKind.Missing => "broken symbolic link",
                            _ => $"link to {FileKinds.Describe(entry)}, not a file to read",
                        }));
                    }
                    break;
                case FileKind.Missing:
                    break; // removed while walking
                default:
                    skipped?.Invoke(new SkippedInput(entry, 0, $"{FileKinds.Describe(entry)}, not a file to read"));
                    break;
            }
        }
    }

    /// <summary>Total size on disk of the files under <paramref name="paths"/> (for a progress bar's maximum).</summary>
    public static long TotalBytes(IEnumerable<string> paths)
    {
        long total = 0;
        foreach (string file in Expand(paths, skipped: null))
        {
            try
            {
                total += new FileInfo(file).Length;
            }
            catch (IOException)
            {
                // Gone since the walk: the reading pass reports it.
            }
        }
        return total;
    }

    /// <summary>Streams every document of every file under <paramref name="paths"/>.</summary>
    public IEnumerable<Document> Read(IEnumerable<string> paths)
    {
        foreach (string file in ExpandPaths(paths))
            foreach (Document document in ReadFile(file))
                yield return document;
    }

    /// <summary>Streams the documents of one file; problems are reported, and end the file without an exception.</summary>
    public IEnumerable<Document> ReadFile(string path)
    {
        (FileFormat format, bool gzip) = FileFormats.Detect(path);
        if (format == FileFormat.Unknown)
        {
            Report(path, 0, $"unsupported file type '{Path.GetExtension(path)}'");
            yield break;
        }

        IEnumerator<Document>? documents = null;
        try
        {
            documents = Open(path, format, gzip)?.GetEnumerator();
        }
        catch (Exception ex) when (IsDataProblem(ex))
        {
            Report(path, 0, Describe(ex));
        }
        if (documents is null) yield break;

        // One document is held back until the next one (or a clean end) proves it whole: when a file breaks off, the
        // document read last may stop mid-sentence, and it is handed on marked CutShort instead of as good text.
        Document? held = null;
        using (documents)
        {
            while (true)
            {
                Exception? broke = null;
                try
                {
                    if (!documents.MoveNext()) break;
                }
                catch (Exception ex) when (IsDataProblem(ex))
                {
                    broke = ex;
                }
                if (broke is not null)
                {
                    Skipped?.Invoke(new SkippedInput(path, 0, Describe(broke)) { AfterDocuments = held is not null });
                    if (held is not null) yield return held with { CutShort = true };
                    yield break;
                }
                if (held is not null) yield return held;
                held = documents.Current;
            }
        }
        Interlocked.Increment(ref _filesCompleted);
        if (held is not null) yield return held;
    }

    /// <summary>The file's documents, or null when it is not text at all (reported as skipped).</summary>
    private IEnumerable<Document>? Open(string path, FileFormat format, bool gzip)
    {
        Action<SkippedInput> skip = s => Skipped?.Invoke(s);
        Stream stream = new CountingStream(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16),
            n => Interlocked.Add(ref _bytesRead, n));
        if (gzip) stream = new VerifiedGzipStream(path, stream);

        if (format == FileFormat.Parquet) return ReadParquet(stream, path, gzip, skip);

        TextReader? reader = TextDecoding.Open(stream, out string? notText);
        if (reader is null)
        {
            stream.Dispose();
            Report(path, 0, notText!);
            return null;
        }
        return ReadText(reader, path, format, skip);
    }

    private IEnumerable<Document> ReadText(TextReader reader, string path, FileFormat format, Action<SkippedInput> skip)
    {
        using (reader)
        {
            IEnumerable<Document> documents = format switch
            {
                FileFormat.PlainText => PlainTextReader.Read(reader, path, options.SplitParagraphs, options.MaxDocumentChars, skip),
                FileFormat.Markdown => PlainTextReader.Read(reader, path, options.SplitParagraphs, options.MaxDocumentChars, skip)
                    .Select(d => d with { Text = MarkdownText.ToPlainText(d.Text) }),
                FileFormat.JsonLines => JsonLinesReader.Read(reader, path, options.TextField, options.MaxDocumentChars, skip),
                FileFormat.Csv => DelimitedReader.Read(reader, path, ',', options.TextField, options.MaxDocumentChars, skip),
                FileFormat.Tsv => DelimitedReader.Read(reader, path, '\t', options.TextField, options.MaxDocumentChars, skip),
                FileFormat.Html => ReadPage(reader, path, skip),
                _ => throw new InvalidOperationException($"no text reader for {format}"),
            };
            foreach (Document document in documents) yield return document;
        }
    }

    /// <summary>An HTML page is parsed whole, so it is read whole, up to the ceiling; a larger page is read through and skipped.</summary>
    private IEnumerable<Document> ReadPage(TextReader reader, string path, Action<SkippedInput> skip)
    {
        var page = new char[Math.Min(options.MaxDocumentChars + 1, 1 << 20)];
        var text = new System.Text.StringBuilder();
        long total = 0;
        int n;
        while ((n = reader.Read(page, 0, page.Length)) > 0)
        {
            total += n;
            if (total <= options.MaxDocumentChars) text.Append(page, 0, n);
            else text.Clear();
        }
        if (total > options.MaxDocumentChars)
        {
            skip(new SkippedInput(path, 1, JsonLinesReader.Overlong(total, options.MaxDocumentChars)));
            return [];
        }
        return [new Document(HtmlText.ToPlainText(text.ToString()), path, 1)];
    }

    private IEnumerable<Document> ReadParquet(Stream stream, string path, bool gzip, Action<SkippedInput> skip)
    {
        // Parquet needs to seek (the footer is at the end): a compressed file is unpacked to a temporary file first.
        string? temporary = null;
        try
        {
            if (gzip)
            {
                temporary = Path.GetTempFileName();
                using (var copy = File.Create(temporary)) stream.CopyTo(copy);
                stream.Dispose();
                stream = File.OpenRead(temporary);
            }
            using (stream)
            {
                foreach (Document document in ParquetTextReader.Read(stream, path, options.TextField, skip))
                    yield return document;
            }
        }
        finally
        {
            if (temporary is not null) File.Delete(temporary);
        }
    }

    private void Report(string source, long line, string reason) => Skipped?.Invoke(new SkippedInput(source, line, reason));

    /// <summary>
    /// Whether <paramref name="ex"/> says the file is damaged or not what its name claims (so it is skipped and counted)
    /// rather than that Myna is broken. A parser fed corrupt bytes fails in its own ways (a length that overflows, an
    /// index past the end), so anything thrown inside the Parquet library counts as the file's problem too.
    /// </summary>
    private static bool IsDataProblem(Exception ex) =>
        ex is IOException or InvalidDataException or System.Text.DecoderFallbackException or UnauthorizedAccessException
            or FormatException or NotSupportedException or ArgumentException or InvalidOperationException
            or OverflowException or IndexOutOfRangeException
        || ex.GetType().Namespace?.StartsWith("Parquet", StringComparison.Ordinal) == true
        || ex.TargetSite?.DeclaringType?.Namespace?.StartsWith("Parquet", StringComparison.Ordinal) == true;

    private static string Describe(Exception ex) => ex switch
    {
        System.Text.DecoderFallbackException => "not valid UTF-8 text (nor GB18030 for Chinese files); convert it to UTF-8 first",
        InvalidDataException when ex.Message.Contains("gzip", StringComparison.Ordinal) => ex.Message,
        InvalidDataException => $"corrupt or not gzip data ({ex.Message})",
        UnauthorizedAccessException => "permission denied",
        _ => $"unreadable ({ex.GetType().Name}: {ex.Message})",
    };
}
