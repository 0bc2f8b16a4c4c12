using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;

namespace Myna.Text.Cleaning;

/// <summary>Finds lines repeated across many documents (cookie notices, copyright footers, navigation) in a pre-pass
/// over a sample of the corpus, then removes them from every document. Each document counts a line once, and an exact
/// repeat of a whole document is not counted again (duplicates are dedup's business, not evidence of boilerplate).</summary>
public sealed class BoilerplateDetector(CleaningOptions options)
{
    private readonly Dictionary<ulong, int> _documentCounts = [];
    private readonly HashSet<ulong> _seenDocuments = [];
    private HashSet<ulong>? _boilerplate;
    private int _sampled;

    /// <summary>True once the sample is full; further <see cref="Observe"/> calls are ignored.</summary>
    public bool SampleFull => _sampled >= options.BoilerplateSampleDocuments;

    /// <summary>Counts the lines of one cleaned document.</summary>
    public void Observe(string text)
    {
        if (SampleFull) return;
        if (!_seenDocuments.Add(Hash(text))) return;
        _sampled++;
        var lines = new HashSet<ulong>();
        foreach (string line in text.Split('\n'))
            if (line.Length >= options.BoilerplateMinLineChars) lines.Add(Hash(Normalise(line)));
        foreach (ulong line in lines)
            CollectionsMarshal.GetValueRefOrAddDefault(_documentCounts, line, out _)++;
    }

    /// <summary>Number of distinct boilerplate lines found (after <see cref="Observe"/> has seen the sample).</summary>
    public int BoilerplateLineCount => Boilerplate.Count;

    private HashSet<ulong> Boilerplate => _boilerplate ??= _documentCounts
        .Where(kv => kv.Value >= options.BoilerplateMinDocuments).Select(kv => kv.Key).ToHashSet();

    /// <summary>Returns <paramref name="text"/> without its boilerplate lines, and how many lines went.</summary>
    public string Remove(string text, out int removed)
    {
        removed = 0;
        if (Boilerplate.Count == 0) return text;
        string[] lines = text.Split('\n');
        var output = new StringBuilder(text.Length);
        foreach (string line in lines)
        {
            if (line.Length >= options.BoilerplateMinLineChars && Boilerplate.Contains(Hash(Normalise(line))))
            {
                removed++;
                continue;
            }
            if (output.Length > 0) output.Append('\n');
            output.Append(line);
        }
        return removed == 0 ? text : output.ToString().Trim('\n');
    }

    private static string Normalise(string line) => line.Trim().ToLowerInvariant();

    private static ulong Hash(string s) => XxHash3.HashToUInt64(MemoryMarshal.AsBytes(s.AsSpan()));
}
