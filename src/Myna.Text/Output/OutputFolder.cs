namespace Myna.Text.Output;

/// <summary>
/// A folder a run owns: it is written in full under a temporary sibling and swapped in only when the run succeeds, so
/// the output holds exactly what this run wrote (no stale parts of an earlier run beside it), a failed or cancelled
/// run leaves the old output untouched, and an existing output is replaced only when asked (<c>--force</c>).
/// </summary>
public sealed class OutputFolder : IDisposable
{
    private bool _committed;

    private OutputFolder(string target, string staging)
    {
        Target = target;
        Staging = staging;
    }

    /// <summary>Where the output ends up.</summary>
    public string Target { get; }

    /// <summary>Where the run writes until <see cref="Commit"/>: a hidden sibling of <see cref="Target"/>.</summary>
    public string Staging { get; }

    /// <summary>
    /// Starts a run that will own <paramref name="target"/>. Refused before anything is written when the target is
    /// not a folder, is not empty and <paramref name="replace"/> is off, or overlaps one of <paramref name="inputs"/>
    /// (an output inside an input folder is read back as input by the next run; an input inside the output would be
    /// replaced by it).
    /// </summary>
    /// <param name="target">The output folder (<c>--out</c>).</param>
    /// <param name="inputs">The files and folders the run reads.</param>
    /// <param name="replace">Replace an existing, non-empty output (<c>--force</c>).</param>
    /// <param name="option">The option's name for messages, e.g. "--out".</param>
    /// <exception cref="IOException">The target cannot be owned by this run; the message says why and what to do.</exception>
    public static OutputFolder Begin(string target, IEnumerable<string> inputs, bool replace, string option = "--out")
    {
        RefuseEmpty(target, option);
        ArgumentNullException.ThrowIfNull(inputs);
        // Where the output goes is the path as given (a link there is replaced, never followed); overlap is judged on
        // the resolved paths, so that two names of one folder are caught.
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(target));
        string resolved = Canonical(target);
        RefuseAsFolder(target, inputs, option);
        foreach (string input in inputs)
        {
            if (IsSameOrInside(Canonical(input), resolved))
                throw new IOException($"the input '{input}' is inside {option} '{target}', which this run replaces; choose another {option}.");
        }
        bool isLink = new FileInfo(full).LinkTarget is not null;
        if (Directory.Exists(full) && (isLink || Directory.EnumerateFileSystemEntries(full).Any()) && !replace)
            throw new IOException($"{option} '{target}' is not empty; choose an empty or new folder, or pass --force to replace its contents with this run's output.");

        string parent = Path.GetDirectoryName(full) ?? throw new IOException($"{option} '{target}' has no parent folder to stage the output in.");
        Directory.CreateDirectory(parent);
        string staging = Path.Combine(parent, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid().ToString("N")[..8]}.tmp");
        Directory.CreateDirectory(staging);
        return new OutputFolder(full, staging);
    }

    /// <summary>
    /// Checks a folder that a command writes into file by file and keeps adding to (a training run's checkpoints, a
    /// comparison's reports) rather than owning whole: it must be a folder or nothing, and neither one of the command's
    /// inputs nor inside one (a model or data folder is read, never written). An input inside it is allowed: such a
    /// command writes only its own file names, each through <see cref="AtomicFile"/>.
    /// </summary>
    /// <exception cref="IOException">The target is a file or special file, or is or lies inside an input.</exception>
    public static void CheckWritableFolder(string target, IEnumerable<string> inputs, string option = "--out")
    {
        RefuseEmpty(target, option);
        ArgumentNullException.ThrowIfNull(inputs);
        RefuseAsFolder(target, inputs, option);
    }

    /// <summary>An empty path, as an unset shell variable gives, named by its option rather than by a C# parameter.</summary>
    internal static void RefuseEmpty(string target, string option)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (string.IsNullOrWhiteSpace(target)) throw new ArgumentException($"{option} is empty; give a path.");
    }

    private static void RefuseAsFolder(string target, IEnumerable<string> inputs, string option)
    {
        string resolved = Canonical(target);
        foreach (string input in inputs)
        {
            string source = Canonical(input);
            if (IsSameOrInside(resolved, source))
                throw new IOException($"{option} '{target}' is {(resolved == source ? "the input itself" : $"inside the input '{input}'")}; Myna never writes into what it reads (a later run would read the output as input). Choose a folder outside the input.");
        }
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(target));
        switch (Corpus.FileKinds.Of(full, followLinks: true))
        {
            case Corpus.FileKind.Regular:
                throw new IOException($"{option} '{target}' is a file; give a folder (it is created if missing).");
            case Corpus.FileKind.Special:
                throw new IOException($"{option} '{target}' is {Corpus.FileKinds.Describe(full)}; give a folder (it is created if missing).");
        }
    }

    /// <summary>Puts the staged output in place of the target (an old output, if any, is removed after the swap).</summary>
    /// <param name="cancellation">A run cancelled by now is not committed: the old output stays.</param>
    public void Commit(CancellationToken cancellation = default)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        cancellation.ThrowIfCancellationRequested();
        string? old = null;
        bool isLink = new FileInfo(Target).LinkTarget is not null;
        if (isLink || Directory.Exists(Target))
        {
            old = Path.Combine(Path.GetDirectoryName(Target)!, $".{Path.GetFileName(Target)}.{Environment.ProcessId}.{Guid.NewGuid().ToString("N")[..8]}.old");
            // rename(2) moves a link itself, never what it points to: a folder reached through a link is not ours to replace.
            if (Directory.Exists(Target)) Directory.Move(Target, old);
            else File.Move(Target, old);
        }
        Directory.Move(Staging, Target);
        _committed = true;
        if (old is not null)
        {
            if (isLink) File.Delete(old); // unlinks the link; its target stays
            else Directory.Delete(old, recursive: true);
        }
    }

    /// <summary>Removes the staged output unless it was committed.</summary>
    public void Dispose()
    {
        if (_committed) return;
        _committed = true;
        try
        {
            if (Directory.Exists(Staging)) Directory.Delete(Staging, recursive: true);
        }
        catch (IOException)
        {
            // Leaving a hidden temporary folder behind is better than hiding the failure that brought us here.
        }
    }

    /// <summary>The absolute path with links in its existing part resolved, so two names of one folder compare equal.</summary>
    internal static string Canonical(string path)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        // Resolve the longest existing prefix (the rest does not exist yet, so it holds no links).
        string existing = full;
        string rest = "";
        while (!Directory.Exists(existing) && !File.Exists(existing))
        {
            string? parent = Path.GetDirectoryName(existing);
            if (parent is null) return full;
            rest = Path.Combine(Path.GetFileName(existing), rest);
            existing = parent;
        }
        string resolved = RealPath(existing);
        return Path.TrimEndingDirectorySeparator(rest.Length == 0 ? resolved : Path.Combine(resolved, rest));
    }

    private static string RealPath(string path)
    {
        // Walk from the root, resolving each component that is a link.
        string root = Path.GetPathRoot(path)!;
        string current = root;
        foreach (string part in path[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            string next = Path.Combine(current, part);
            FileSystemInfo? target = new FileInfo(next).LinkTarget is not null ? new FileInfo(next).ResolveLinkTarget(returnFinalTarget: true) : null;
            current = target is null ? next : Path.TrimEndingDirectorySeparator(target.FullName);
        }
        return current;
    }

    private static bool IsSameOrInside(string path, string folder) =>
        path == folder || path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
