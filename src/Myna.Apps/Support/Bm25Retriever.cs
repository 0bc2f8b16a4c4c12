using Lucene.Net.Analysis.Core;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace Myna.Apps.Support;

/// <summary>
/// Lucene.Net BM25 (k1 1.2, b 0.75) over two fields indexed separately, <c>question</c> (boosted) and <c>answer</c>,
/// one in-memory index per language. The two fields are kept apart because on FAQ retrieval the question field carries
/// most of the signal (on CovidFAQ, BM25 over questions reaches MAP 0.74, over answers alone 0.28).
/// </summary>
public sealed class Bm25Retriever : IFaqRetriever, IDisposable
{
    /// <summary>Index field holding the entry id (stored, not analysed).</summary>
    public const string IdField = "id";

    /// <summary>Index field holding the question's terms.</summary>
    public const string QuestionField = "question";

    /// <summary>Index field holding the answer's terms.</summary>
    public const string AnswerField = "answer";

    /// <summary>Distinct query terms used at most: two clauses each stay far below Lucene's 1024-clause limit, and a
    /// pasted log beyond that many words is no longer a question.</summary>
    public const int MaxQueryTerms = 256;

    private const LuceneVersion Version = LuceneVersion.LUCENE_48;
    private readonly Dictionary<string, LanguageIndex> _indexes = [];
    private readonly float _questionBoost;

    /// <summary>Indexes every entry of <paramref name="knowledgeBase"/> in its language's index.</summary>
    /// <param name="knowledgeBase">The FAQ.</param>
    /// <param name="questionBoost">The weight of a match in the question field relative to the answer field (see <see cref="SupportOptions.QuestionBoost"/>).</param>
    public Bm25Retriever(FaqKnowledgeBase knowledgeBase, float questionBoost)
    {
        ArgumentNullException.ThrowIfNull(knowledgeBase);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(questionBoost);
        _questionBoost = questionBoost;
        foreach (IGrouping<string, FaqEntry> language in knowledgeBase.Entries.GroupBy(e => e.Lang))
            _indexes[language.Key] = LanguageIndex.Build(language);
    }

    /// <inheritdoc />
    public string Name => "bm25";

    /// <inheritdoc />
    public IReadOnlyList<RetrievedEntry> Search(string query, string lang, int top)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(top);
        LanguageIndex index = _indexes.GetValueOrDefault(lang) ?? _indexes.Values.First();
        string[] terms = [.. SupportTerms.Analyze(query).Distinct(StringComparer.Ordinal).Take(MaxQueryTerms)];
        if (terms.Length == 0) return [];
        var clauses = new BooleanQuery();
        foreach (string term in terms)
        {
            clauses.Add(new TermQuery(new Term(QuestionField, term)) { Boost = _questionBoost }, Occur.SHOULD);
            clauses.Add(new TermQuery(new Term(AnswerField, term)), Occur.SHOULD);
        }
        TopDocs found = index.Searcher.Search(clauses, top);
        var ranked = new List<RetrievedEntry>(found.ScoreDocs.Length);
        foreach (ScoreDoc hit in found.ScoreDocs)
        {
            string id = index.Searcher.Doc(hit.Doc).Get(IdField);
            ranked.Add(new RetrievedEntry(id, index.Questions[id], hit.Score));
        }
        return ranked;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (LanguageIndex index in _indexes.Values) index.Dispose();
    }

    /// <summary>One language's index, reader and searcher, and the questions its hits are reported with.</summary>
    private sealed class LanguageIndex(RAMDirectory directory, DirectoryReader reader, IReadOnlyDictionary<string, string> questions) : IDisposable
    {
        public IndexSearcher Searcher { get; } = new(reader) { Similarity = new BM25Similarity() };

        public IReadOnlyDictionary<string, string> Questions => questions;

        public static LanguageIndex Build(IEnumerable<FaqEntry> entries)
        {
            var directory = new RAMDirectory();
            // The terms are analysed already (SupportTerms); Lucene splits them at the spaces that join them.
            var config = new IndexWriterConfig(Version, new WhitespaceAnalyzer(Version)) { Similarity = new BM25Similarity() };
            var questions = new Dictionary<string, string>(StringComparer.Ordinal);
            using (var writer = new IndexWriter(directory, config))
            {
                foreach (FaqEntry entry in entries)
                {
                    writer.AddDocument(new Document
                    {
                        new StringField(IdField, entry.Id, Field.Store.YES),
                        new TextField(QuestionField, string.Join(' ', SupportTerms.Analyze(entry.Question)), Field.Store.NO),
                        new TextField(AnswerField, string.Join(' ', SupportTerms.Analyze(entry.Answer)), Field.Store.NO),
                    });
                    questions[entry.Id] = entry.Question;
                }
                writer.Commit();
            }
            return new LanguageIndex(directory, DirectoryReader.Open(directory), questions);
        }

        public void Dispose()
        {
            reader.Dispose();
            directory.Dispose();
        }
    }
}
