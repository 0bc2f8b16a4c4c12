using Myna.Text.Corpus;

namespace Myna.Text.Output;

/// <summary>
/// The checks before a command writes one file where it was told to (the write itself is atomic: a temporary sibling
/// renamed over the target, which replaces a link rather than following it): the target must be a regular file or
/// nothing, must not be one of the command's inputs, and an existing file is replaced only when asked.
/// </summary>
public static class OutputFile
{
    /// <summary>Refuses <paramref name="target"/> before any work when it cannot or may not be written.</summary>
    /// <param name="target">The output file (<c>--out</c>).</param>
    /// <param name="inputs">The files and folders the command reads.</param>
    /// <param name="replace">Replace an existing file (<c>--force</c>).</param>
    /// <param name="option">The option's name for messages.</param>
    /// <exception cref="IOException">The target is a device, pipe, socket or folder; an input; or exists and <paramref name="replace"/> is off.</exception>
    public static void Check(string target, IEnumerable<string> inputs, bool replace, string option = "--out")
    {
        OutputFolder.RefuseEmpty(target, option);
        ArgumentNullException.ThrowIfNull(inputs);
        string full = Path.GetFullPath(target);
        // Compared with links resolved, as OutputFolder compares, so that two names of one file are caught.
        string resolved = OutputFolder.Canonical(target);
        if (inputs.Any(input => OutputFolder.Canonical(input) == resolved))
            throw new IOException($"{option} '{target}' is the input itself; write the output somewhere else.");
        // The same rule AtomicFile applies when it writes, checked here before any work.
        if (AtomicFile.Refusal(full) is { } refusal) throw new IOException($"{option} '{target}' {refusal}; give a regular file name.");
        if (FileKinds.Of(full, followLinks: false) != FileKind.Missing && !replace)
            throw new IOException($"{option} '{target}' already exists; pass --force to replace it.");
    }

    /// <summary>Kernel and device trees: a file there is not data (writing /proc or /sys changes the system).</summary>
    private static readonly string[] SystemTrees = ["/dev/", "/proc/", "/sys/"];

    /// <summary>
    /// Why <paramref name="path"/> may not be appended to (a log that grows in place, where the temporary-sibling rename
    /// does not apply), or null when it may: appending follows a link, blocks on a FIFO and writes into devices, so
    /// only a regular file or nothing is accepted, and nothing under /dev, /proc or /sys.
    /// </summary>
    /// <returns>A phrase such as "is a symbolic link", to follow the option or path in the caller's message.</returns>
    public static string? AppendRefusal(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.GetFullPath(path);
        if (SystemTrees.Any(tree => full.StartsWith(tree, StringComparison.Ordinal))) return "is a device or system file";
        return FileKinds.Of(full, followLinks: false) switch
        {
            FileKind.Missing or FileKind.Regular => null,
            FileKind.Directory => "is a directory",
            FileKind.SymbolicLink => "is a symbolic link (the log could be redirected to another file)",
            _ => $"is {FileKinds.Describe(full)}",
        };
    }
}
