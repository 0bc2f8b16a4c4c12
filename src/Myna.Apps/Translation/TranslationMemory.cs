using Lucene.Net.Analysis.Core;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Myna.Apps.Support;

namespace Myna.Apps.Translation;

/// <summary>
/// The retrieval baseline a translator reaches for first: the stored translation of the most similar training source,
/// "most similar" being Lucene.Net BM25 over the English (stemmed words without stop words, as the support assistant
/// analyses English: <see cref="SupportTerms"/>). A source with no indexed term gets an empty translation.
/// </summary>
public sealed class TranslationMemory : ITranslationSystem, IDisposable
{
    /// <summary>Distinct query terms used at most: one clause each stays within Lucene's 1024-clause limit.</summary>
    public const int MaxQueryTerms = Bm25Retriever.MaxQueryTerms;

    private const string SourceField = "source";
    private const string TargetField = "target";
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;
    private readonly RAMDirectory _directory = new();
    private readonly DirectoryReader _reader;
    private readonly IndexSearcher _searcher;

    /// <summary>Indexes the sources of <paramref name="memory"/> (normally the train split) with BM25 (k1 1.2, b 0.75, Lucene's defaults).</summary>
    /// <exception cref="ArgumentException">The memory is empty.</exception>
    public TranslationMemory(IEnumerable<TranslationPair> memory)
    {
        ArgumentNullException.ThrowIfNull(memory);
        var similarity = new BM25Similarity();
        // The terms are analysed already (SupportTerms); Lucene splits them at the spaces that join them.
        var config = new IndexWriterConfig(Version, new WhitespaceAnalyzer(Version)) { Similarity = similarity };
        int count = 0;
        using (var writer = new IndexWriter(_directory, config))
        {
            foreach (TranslationPair pair in memory)
            {
                writer.AddDocument(new Document
                {
                    new TextField(SourceField, string.Join(' ', SupportTerms.Analyze(pair.Source)), Field.Store.NO),
                    new StoredField(TargetField, pair.Target),
                });
                count++;
            }
            writer.Commit();
        }
        if (count == 0) throw new ArgumentException("a translation memory needs at least one pair.", nameof(memory));
        Count = count;
        _reader = DirectoryReader.Open(_directory);
        _searcher = new IndexSearcher(_reader) { Similarity = similarity };
    }

    /// <summary>Pairs in the memory.</summary>
    public int Count { get; }

    /// <inheritdoc />
    public string Name => "translation-memory";

    /// <summary>The target of the BM25-nearest source, or "" when <paramref name="source"/> has no indexed term.</summary>
    public string Lookup(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        string[] terms = [.. SupportTerms.Analyze(source).Distinct(StringComparer.Ordinal).Take(MaxQueryTerms)];
        if (terms.Length == 0) return "";
        var query = new BooleanQuery();
        foreach (string term in terms) query.Add(new TermQuery(new Term(SourceField, term)), Occur.SHOULD);
        TopDocs found = _searcher.Search(query, 1);
        return found.ScoreDocs.Length == 0 ? "" : _searcher.Doc(found.ScoreDocs[0].Doc).Get(TargetField);
    }

    /// <inheritdoc />
    public IReadOnlyList<string> Translate(IReadOnlyList<string> sources, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var targets = new string[sources.Count];
        for (int i = 0; i < targets.Length; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            targets[i] = Lookup(sources[i]);
        }
        return targets;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _reader.Dispose();
        _directory.Dispose();
    }
}
