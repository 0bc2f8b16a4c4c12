using Myna.Evaluation.Rouge;

namespace Myna.Tests.Evaluation.Rouge;

public class PorterStemmerTests
{
    private static readonly PorterStemmer Stemmer = new();

    [Fact]
    public void StemsEveryWordAsNltk()
    {
        string path = Path.Combine(EvaluationPeerCases.Directory, "generated", "porter_nltk_3.8.tsv");
        var differences = new List<string>();
        int words = 0;
        foreach (string line in File.ReadLines(path))
        {
            string[] parts = line.Split('\t');
            words++;
            string stem = Stemmer.Stem(parts[0]);
            if (stem != parts[1]) differences.Add($"{parts[0]}: NLTK {parts[1]}, ours {stem}");
        }
        Assert.True(words >= 800, $"only {words} words loaded");
        Assert.Empty(differences);
    }

    [Theory]
    [InlineData("friends", "friend")]
    [InlineData("meeting", "meet")]
    [InlineData("dying", "die")] // NLTK's irregular forms
    [InlineData("skies", "sky")]
    [InlineData("dies", "die")] // NLTK: four-letter "...ies" keeps "ie"
    [InlineData("spied", "spi")]
    [InlineData("enjoy", "enjoy")] // y -> i only after a consonant
    [InlineData("happy", "happi")]
    [InlineData("archaeology", "archaeolog")] // "logi" keeps its "l"
    [InlineData("generalizations", "gener")]
    [InlineData("a1", "a1")] // two characters or fewer are left alone
    public void KnownStems(string word, string stem) => Assert.Equal(stem, Stemmer.Stem(word));
}
