namespace Myna.Evaluation.Rouge;

/// <summary>
/// The Porter stemmer as NLTK's <c>PorterStemmer</c> runs it in its default <c>NLTK_EXTENSIONS</c> mode, which is
/// what rouge-score uses: Porter (1980) with Martin Porter's later extensions and NLTK's own (a table of
/// irregular forms, "ies"/"ied" handling of four-letter words, the y→i rule only after a consonant, "alli" and
/// "fulli", and "logi" keeping its "l").
/// </summary>
/// <remarks>Written from the algorithm's description and NLTK's documented behaviour; input is expected in
/// lowercase (rouge-score lowercases before stemming). Stateless and thread-safe.</remarks>
public sealed class PorterStemmer
{
    // NLTK's irregular forms: each key is returned as its own stem, bypassing the algorithm.
    private static readonly Dictionary<string, string> IrregularForms = new(StringComparer.Ordinal)
    {
        ["sky"] = "sky", ["skies"] = "sky",
        ["dying"] = "die", ["lying"] = "lie", ["tying"] = "tie",
        ["news"] = "news",
        ["innings"] = "inning", ["inning"] = "inning",
        ["outings"] = "outing", ["outing"] = "outing",
        ["cannings"] = "canning", ["canning"] = "canning",
        ["howe"] = "howe",
        ["proceed"] = "proceed", ["exceed"] = "exceed", ["succeed"] = "succeed",
    };

    // A suffix rule: replace Suffix by Replacement when Condition holds for the stem left without the suffix.
    // The first rule whose suffix matches decides, whether or not its condition holds (NLTK's _apply_rule_list).
    // The suffix "*d" stands for "ends in a double consonant".
    private readonly record struct Rule(string Suffix, string Replacement, Func<string, bool>? Condition);

    private const string DoubleConsonant = "*d";

    private static readonly Rule[] Step1aRules =
    [
        new("sses", "ss", null), new("ies", "i", null), new("ss", "ss", null), new("s", "", null),
    ];

    // Step 2 in NLTK's order, without the final "logi" rule, whose condition looks at the whole word.
    private static readonly Rule[] Step2Rules =
    [
        new("ational", "ate", HasPositiveMeasure), new("tional", "tion", HasPositiveMeasure),
        new("enci", "ence", HasPositiveMeasure), new("anci", "ance", HasPositiveMeasure),
        new("izer", "ize", HasPositiveMeasure), new("bli", "ble", HasPositiveMeasure),
        new("alli", "al", HasPositiveMeasure), new("entli", "ent", HasPositiveMeasure),
        new("eli", "e", HasPositiveMeasure), new("ousli", "ous", HasPositiveMeasure),
        new("ization", "ize", HasPositiveMeasure), new("ation", "ate", HasPositiveMeasure),
        new("ator", "ate", HasPositiveMeasure), new("alism", "al", HasPositiveMeasure),
        new("iveness", "ive", HasPositiveMeasure), new("fulness", "ful", HasPositiveMeasure),
        new("ousness", "ous", HasPositiveMeasure), new("aliti", "al", HasPositiveMeasure),
        new("iviti", "ive", HasPositiveMeasure), new("biliti", "ble", HasPositiveMeasure),
        new("fulli", "ful", HasPositiveMeasure),
    ];

    private static readonly Rule[] Step3Rules =
    [
        new("icate", "ic", HasPositiveMeasure), new("ative", "", HasPositiveMeasure), new("alize", "al", HasPositiveMeasure),
        new("iciti", "ic", HasPositiveMeasure), new("ical", "ic", HasPositiveMeasure), new("ful", "", HasPositiveMeasure),
        new("ness", "", HasPositiveMeasure),
    ];

    private static readonly Rule[] Step4Rules =
    [
        new("al", "", MeasureAboveOne), new("ance", "", MeasureAboveOne), new("ence", "", MeasureAboveOne),
        new("er", "", MeasureAboveOne), new("ic", "", MeasureAboveOne), new("able", "", MeasureAboveOne),
        new("ible", "", MeasureAboveOne), new("ant", "", MeasureAboveOne), new("ement", "", MeasureAboveOne),
        new("ment", "", MeasureAboveOne), new("ent", "", MeasureAboveOne),
        new("ion", "", s => Measure(s) > 1 && s[^1] is 's' or 't'),
        new("ou", "", MeasureAboveOne), new("ism", "", MeasureAboveOne), new("ate", "", MeasureAboveOne),
        new("iti", "", MeasureAboveOne), new("ous", "", MeasureAboveOne), new("ive", "", MeasureAboveOne),
        new("ize", "", MeasureAboveOne),
    ];

    /// <summary>The stem of <paramref name="word"/> (lowercase letters and digits expected).</summary>
    public string Stem(string word)
    {
        if (IrregularForms.TryGetValue(word, out string? irregular)) return irregular;
        if (word.Length <= 2) return word;
        string stem = Step1a(word);
        stem = Step1b(stem);
        stem = Step1c(stem);
        stem = Step2(stem);
        stem = ApplyRules(stem, Step3Rules);
        stem = ApplyRules(stem, Step4Rules);
        stem = Step5a(stem);
        return Step5b(stem);
    }

    // A consonant is a letter other than a, e, i, o, u, and other than y preceded by a consonant.
    private static bool IsConsonant(string word, int i)
    {
        char c = word[i];
        if (c is 'a' or 'e' or 'i' or 'o' or 'u') return false;
        if (c == 'y') return i == 0 || !IsConsonant(word, i - 1);
        return true;
    }

    // m in [C](VC){m}[V]: the number of vowel-to-consonant transitions.
    private static int Measure(string stem)
    {
        int m = 0;
        bool previousVowel = false;
        for (int i = 0; i < stem.Length; i++)
        {
            bool consonant = IsConsonant(stem, i);
            if (consonant && previousVowel) m++;
            previousVowel = !consonant;
        }
        return m;
    }

    private static bool HasPositiveMeasure(string stem) => Measure(stem) > 0;

    private static bool MeasureAboveOne(string stem) => Measure(stem) > 1;

    private static bool ContainsVowel(string stem)
    {
        for (int i = 0; i < stem.Length; i++)
        {
            if (!IsConsonant(stem, i)) return true;
        }
        return false;
    }

    // *d: ends in a double consonant.
    private static bool EndsDoubleConsonant(string word) =>
        word.Length >= 2 && word[^1] == word[^2] && IsConsonant(word, word.Length - 1);

    // *o: ends consonant-vowel-consonant with the last not w, x or y; NLTK adds two-letter vowel-consonant words.
    private static bool EndsCvc(string word) =>
        (word.Length >= 3 && IsConsonant(word, word.Length - 3) && !IsConsonant(word, word.Length - 2)
            && IsConsonant(word, word.Length - 1) && word[^1] is not ('w' or 'x' or 'y'))
        || (word.Length == 2 && !IsConsonant(word, 0) && IsConsonant(word, 1));

    private static string ApplyRules(string word, IEnumerable<Rule> rules)
    {
        foreach (Rule rule in rules)
        {
            if (rule.Suffix == DoubleConsonant && EndsDoubleConsonant(word))
            {
                string stem = word[..^2];
                return rule.Condition is null || rule.Condition(stem) ? stem + rule.Replacement : word;
            }
            if (word.EndsWith(rule.Suffix, StringComparison.Ordinal))
            {
                string stem = word[..^rule.Suffix.Length];
                return rule.Condition is null || rule.Condition(stem) ? stem + rule.Replacement : word;
            }
        }
        return word;
    }

    // Plurals: sses -> ss, ies -> i, s -> (NLTK: a four-letter "...ies" word keeps "ie").
    private static string Step1a(string word)
    {
        if (word.EndsWith("ies", StringComparison.Ordinal) && word.Length == 4) return word[..^3] + "ie";
        return ApplyRules(word, Step1aRules);
    }

    // -eed, -ed, -ing, then tidying of what -ed/-ing left.
    private static string Step1b(string word)
    {
        // NLTK: "ied" -> "ie" for four-letter words (died), else "i" (spied).
        if (word.EndsWith("ied", StringComparison.Ordinal))
            return word.Length == 4 ? word[..^3] + "ie" : word[..^3] + "i";

        if (word.EndsWith("eed", StringComparison.Ordinal))
        {
            string stem = word[..^3];
            return Measure(stem) > 0 ? stem + "ee" : word;
        }

        string? intermediate = null;
        foreach (string suffix in (ReadOnlySpan<string>)["ed", "ing"])
        {
            if (word.EndsWith(suffix, StringComparison.Ordinal) && ContainsVowel(word[..^suffix.Length]))
            {
                intermediate = word[..^suffix.Length];
                break;
            }
        }
        if (intermediate is null) return word;

        char last = intermediate[^1];
        return ApplyRules(intermediate,
        [
            new("at", "ate", null),
            new("bl", "ble", null),
            new("iz", "ize", null),
            new(DoubleConsonant, last.ToString(), _ => last is not ('l' or 's' or 'z')),
            new("", "e", s => Measure(s) == 1 && EndsCvc(s)),
        ]);
    }

    // y -> i after a consonant that is not the first letter (NLTK's condition).
    private static string Step1c(string word) =>
        ApplyRules(word, [new("y", "i", s => s.Length > 1 && IsConsonant(s, s.Length - 1))]);

    private static string Step2(string word)
    {
        // NLTK: "alli" -> "al", then step 2 again (so "-ically" style words reduce further).
        if (word.EndsWith("alli", StringComparison.Ordinal) && HasPositiveMeasure(word[..^4]))
            return Step2(word[..^4] + "al");

        // NLTK's last step-2 rule: "logi" -> "log", the measure taken with the "l" kept (Barry Wilkins'
        // extension). No other step-2 suffix ends in "gi", so testing it first keeps NLTK's rule order.
        if (word.EndsWith("logi", StringComparison.Ordinal))
            return HasPositiveMeasure(word[..^3]) ? word[..^1] : word;
        return ApplyRules(word, Step2Rules);
    }

    // (m>1) E -> ; (m=1 and not *o) E -> .
    private static string Step5a(string word)
    {
        if (!word.EndsWith('e')) return word;
        string stem = word[..^1];
        int m = Measure(stem);
        if (m > 1) return stem;
        if (m == 1 && !EndsCvc(stem)) return stem;
        return word;
    }

    // (m>1 and *d and *L) -> single letter: controll -> control.
    private static string Step5b(string word) =>
        ApplyRules(word, [new("ll", "l", _ => Measure(word[..^1]) > 1)]);
}
