using System.Text.Json;

namespace Myna.Apps.Support;

/// <summary>
/// The FAQ the assistant answers from: entries by language and by id, read from <c>faq.jsonl</c>
/// (<c>{id, lang, chapter, question, answer}</c> per line).
/// </summary>
public sealed class FaqKnowledgeBase
{
    private readonly Dictionary<(string Id, string Lang), FaqEntry> _byIdAndLang;

    /// <summary>A knowledge base over <paramref name="entries"/>.</summary>
    /// <exception cref="InvalidDataException">An entry has an empty id, question or answer, a language other than en or zh, or repeats an (id, lang) pair.</exception>
    public FaqKnowledgeBase(IEnumerable<FaqEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        Entries = [.. entries];
        _byIdAndLang = new Dictionary<(string, string), FaqEntry>();
        foreach (FaqEntry entry in Entries)
        {
            if (string.IsNullOrWhiteSpace(entry.Id) || string.IsNullOrWhiteSpace(entry.Question) || string.IsNullOrWhiteSpace(entry.Answer))
                throw new InvalidDataException($"FAQ entry '{entry.Id}' ({entry.Lang}) has an empty id, question or answer.");
            if (!SupportLanguage.IsSupported(entry.Lang))
                throw new InvalidDataException($"FAQ entry '{entry.Id}' has language '{entry.Lang}'; expected {SupportLanguage.English} or {SupportLanguage.Chinese}.");
            if (!_byIdAndLang.TryAdd((entry.Id, entry.Lang), entry))
                throw new InvalidDataException($"FAQ entry '{entry.Id}' ({entry.Lang}) appears twice.");
        }
        if (Entries.Count == 0) throw new InvalidDataException("the FAQ has no entries.");
    }

    /// <summary>Every entry, in file order.</summary>
    public IReadOnlyList<FaqEntry> Entries { get; }

    /// <summary>The entries in <paramref name="lang"/>, in file order.</summary>
    public IReadOnlyList<FaqEntry> InLanguage(string lang) => [.. Entries.Where(e => e.Lang == lang)];

    /// <summary>Whether some entry has id <paramref name="id"/> (in either language).</summary>
    public bool Contains(string id) => _byIdAndLang.ContainsKey((id, SupportLanguage.English)) || _byIdAndLang.ContainsKey((id, SupportLanguage.Chinese));

    /// <summary>The entry <paramref name="id"/> in <paramref name="lang"/>, else in the other language (an entry one translation lacks), else null.</summary>
    public FaqEntry? Find(string id, string lang) =>
        _byIdAndLang.GetValueOrDefault((id, lang)) ?? _byIdAndLang.GetValueOrDefault((id, SupportLanguage.Other(lang)));

    /// <summary>Reads <paramref name="path"/>: one JSON object per line, blank lines skipped.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A line is not an entry object (its number is named), or the entries are invalid.</exception>
    public static FaqKnowledgeBase Load(string path)
    {
        List<FaqEntry> entries = JsonLines.Read(path, "FAQ", o => new FaqEntry(
            JsonLines.RequiredString(o, "id"), JsonLines.RequiredString(o, "lang"), JsonLines.OptionalString(o, "chapter") ?? "",
            JsonLines.RequiredString(o, "question"), JsonLines.RequiredString(o, "answer")));
        return new FaqKnowledgeBase(entries);
    }
}
