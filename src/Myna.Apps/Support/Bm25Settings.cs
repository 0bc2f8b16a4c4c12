namespace Myna.Apps.Support;

/// <summary>How <see cref="Bm25Retriever"/> indexes and scores. The defaults are the values chosen on the dev split (see <see cref="SupportOptions.Tuning"/>).</summary>
public sealed record Bm25Settings
{
    /// <summary>BM25's term-frequency saturation. Lucene's default 1.2.</summary>
    public float K1 { get; init; } = 1.2f;

    /// <summary>BM25's length normalisation, 0 (none) to 1 (full). Lucene's default 0.75.</summary>
    public float B { get; init; } = 0.75f;

    /// <summary>Weight of a match in the question field, relative to the answer field's 1.</summary>
    public float QuestionBoost { get; init; } = 1.5f;

    /// <summary>Weight of a match in the chapter title field; 0 leaves chapters out of the query.</summary>
    public float ChapterBoost { get; init; }

    /// <summary>Weight of a match in the entry's other-language text (its translation); 0 leaves it out. Chinese
    /// questions often name things in English (sid, rpm, stable) that the English entry says and the Chinese one translates.</summary>
    public float TranslationBoost { get; init; }

    /// <summary>Also index and query Chinese as overlapping character pairs (beside jieba's words), so a question worded
    /// with different segment boundaries still matches. Ignored for English.</summary>
    public bool ChineseCharacterPairs { get; init; }

    /// <summary>Checks every value.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public Bm25Settings Validate()
    {
        if (!(K1 >= 0)) throw new ArgumentException($"BM25 k1 must be 0 or more, not {K1}.");
        if (!(B >= 0 && B <= 1)) throw new ArgumentException($"BM25 b must be between 0 and 1, not {B}.");
        if (!(QuestionBoost > 0)) throw new ArgumentException($"the question boost must be positive, not {QuestionBoost}.");
        if (!(TranslationBoost >= 0)) throw new ArgumentException($"the translation boost must be 0 or more, not {TranslationBoost}.");
        if (!(ChapterBoost >= 0)) throw new ArgumentException($"the chapter boost must be 0 or more, not {ChapterBoost}.");
        return this;
    }
}
