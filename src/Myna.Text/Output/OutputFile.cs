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
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        ArgumentNullException.ThrowIfNull(inputs);
        string full = Path.GetFullPath(target);
        foreach (string input in inputs)
            if (string.Equals(Path.GetFullPath(input).TrimEnd(Path.DirectorySeparatorChar), full.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal))
                throw new IOException($"{option} '{target}' is the input itself; write the output somewhere else.");
        switch (FileKinds.Of(full, followLinks: false))
        {
            case FileKind.Missing:
                return;
            case FileKind.Directory:
                throw new IOException($"{option} '{target}' is a folder; give a file name.");
            case FileKind.Special:
                throw new IOException($"{option} '{target}' is {FileKinds.Describe(full)}; give a regular file name (it would be replaced by a file).");
            default:
                if (!replace) throw new IOException($"{option} '{target}' already exists; pass --force to replace it.");
                return;
        }
    }
}
