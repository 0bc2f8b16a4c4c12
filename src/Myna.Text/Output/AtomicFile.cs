using Myna.Text.Corpus;

namespace Myna.Text.Output;

/// <summary>
/// Writes a file so that readers see either the old file or the complete new one, never a half-written one:
/// write to a temporary sibling, flush to disk, then rename over the target. Every file Myna writes whole goes through
/// here, so this is where the output-path policy's last word is spoken: the rename replaces a symbolic link at the
/// target instead of writing through it, and a target that is a folder, device, pipe or socket is refused (a rename
/// would swap a device node for a regular file).
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>; on failure the old file is untouched.</summary>
    /// <exception cref="IOException">The target is a folder, a device, a pipe or a socket.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        if (Refusal(full) is { } refusal) throw new IOException($"'{path}' {refusal}; Myna writes only regular files, so give another path.");
        string directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        string temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Why <paramref name="path"/> may not be replaced by a regular file, or null when it may: nothing there, a regular
    /// file, or a link (replaced itself, its target untouched).
    /// </summary>
    /// <returns>A phrase such as "is a folder", to follow the path in a message.</returns>
    public static string? Refusal(string path) => FileKinds.Of(Path.GetFullPath(path), followLinks: false) switch
    {
        FileKind.Directory => "is a folder",
        FileKind.Special => $"is {FileKinds.Describe(path)}",
        _ => null,
    };

    /// <summary>Writes bytes atomically.</summary>
    public static void WriteAllBytes(string path, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        Write(path, stream => stream.Write(bytes));
    }

    /// <summary>Copies <paramref name="source"/> to <paramref name="target"/> atomically (a link at the target is replaced, not written through).</summary>
    public static void Copy(string source, string target) =>
        Write(target, stream =>
        {
            using FileStream input = File.OpenRead(source);
            input.CopyTo(stream);
        });

    /// <summary>Writes text atomically (UTF-8, no byte-order mark).</summary>
    public static void WriteAllText(string path, string text) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true);
            writer.Write(text);
        });
}
