namespace Myna.Training;

/// <summary>
/// Whole-checkpoint atomicity for the folders under a run's output (<c>last/</c>, <c>best/</c>). Every file of a
/// checkpoint is written and flushed into a temporary sibling folder; then the old folder is renamed aside, the new
/// one renamed into place, and the old one deleted. A crash at any point leaves either the complete new folder or the
/// complete old one (possibly under its aside name, which <see cref="Recover"/> puts back): never a mix of the two.
/// </summary>
public static class CheckpointStore
{
    /// <summary>The checkpoint a resumed run continues from: model, optimizer moments and trainer state.</summary>
    public const string LastName = "last";

    /// <summary>The model with the lowest validation loss so far (model files only).</summary>
    public const string BestName = "best";

    /// <summary>Writes a checkpoint folder <paramref name="name"/> under <paramref name="root"/> through
    /// <paramref name="writeInto"/>, which gets an empty folder to fill; returns the final path.</summary>
    public static string Commit(string root, string name, Action<string> writeInto)
    {
        Directory.CreateDirectory(root);
        Recover(root, name);
        string target = Path.Combine(root, name);
        string aside = AsidePath(root, name);
        string staging = Path.Combine(root, $".{name}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            writeInto(staging);
        }
        catch
        {
            TryDelete(staging);
            throw;
        }
        // 1. the old checkpoint steps aside, 2. the new one takes its place, 3. the old one goes.
        if (Directory.Exists(target)) Directory.Move(target, aside);
        Directory.Move(staging, target);
        TryDelete(aside);
        return target;
    }

    /// <summary>
    /// Repairs what an interrupted <see cref="Commit"/> may have left: puts a checkpoint that was set aside back when
    /// the new one never arrived, and removes stale temporary folders. Returns the checkpoint's path, or null when none exists.
    /// </summary>
    public static string? Recover(string root, string name)
    {
        if (!Directory.Exists(root)) return null;
        string target = Path.Combine(root, name);
        string aside = AsidePath(root, name);
        if (Directory.Exists(aside))
        {
            if (Directory.Exists(target)) TryDelete(aside);
            else Directory.Move(aside, target);
        }
        foreach (string stale in Directory.EnumerateDirectories(root, $".{name}.tmp-*")) TryDelete(stale);
        return Directory.Exists(target) ? target : null;
    }

    private static string AsidePath(string root, string name) => Path.Combine(root, $".{name}.old");

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the next Recover; it never holds the live checkpoint.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
