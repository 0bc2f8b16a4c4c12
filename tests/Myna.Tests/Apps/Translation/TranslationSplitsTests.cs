using Myna.Apps.Translation;

namespace Myna.Tests.Apps.Translation;

/// <summary>The split rules of issue 17 on the committed fixture.</summary>
public sealed class TranslationSplitsTests
{
    private static readonly TranslationSplits Splits = TranslationSplits.Build(TranslationFixtures.Data());

    [Fact]
    public void Test_is_the_short_FAQ_pairs_without_repeats()
    {
        Assert.Equal(["f/0", "f/1", "f/3"], Splits.Test.Select(p => p.Id));
        Assert.Equal(1, Splits.Counts.FaqTooLong);
        Assert.Equal(1, Splits.Counts.TestNearDuplicates);
        Assert.All(Splits.Test, p => Assert.Equal(TranslationData.Faq, p.Origin));
    }

    [Fact]
    public void Dev_is_a_seeded_draw_of_short_Reference_pairs_at_most_half_of_them()
    {
        // 7 Reference pairs are short enough; dev takes at most half: 3, less any that repeat a test sentence.
        Assert.Equal(3, Splits.Dev.Count + Splits.Counts.DevNearDuplicates);
        Assert.All(Splits.Dev, p => Assert.Equal(TranslationData.Reference, p.Origin));
        Assert.DoesNotContain(Splits.Dev, p => p.Id == "r/7");
        Assert.Equal(Splits.Dev.Select(p => p.Id), TranslationSplits.Build(TranslationFixtures.Data()).Dev.Select(p => p.Id));
        var reseeded = TranslationSplits.Build(TranslationFixtures.Data(), new TranslationSplitOptions { DevSeed = "another seed", DevPairs = 6 });
        Assert.Equal(3, reseeded.Dev.Count + reseeded.Counts.DevNearDuplicates); // asked for 6, capped at half of 7
    }

    [Fact]
    public void Train_is_the_rest_of_Reference_and_the_long_placeholder_free_messages()
    {
        string[] train = [.. Splits.Train.Select(p => p.Id)];
        Assert.Empty(train.Intersect(Splits.Dev.Select(p => p.Id)));
        Assert.Contains("r/7", train); // too long for dev, not for training
        Assert.DoesNotContain("a/0", train); // one word
        Assert.DoesNotContain("a/2", train); // %COLUMNNUMBER
        Assert.DoesNotContain("a/3", train); // ~ accelerator
        Assert.Contains("a/1", train);
        Assert.Equal(1, Splits.Counts.LibreOfficeTooShort);
        Assert.Equal(2, Splits.Counts.LibreOfficeWithPlaceholders);
    }

    [Fact]
    public void A_sentence_in_test_is_removed_from_dev_and_train()
    {
        // r/4 and a/4 repeat the English of f/3 and f/0.
        Assert.DoesNotContain(Splits.Dev.Concat(Splits.Train), p => p.Id is "r/4" or "a/4");
        Assert.Equal(1, Splits.Counts.TrainLibreOfficeNearDuplicates);
        Assert.Equal(1, Splits.Counts.DevNearDuplicates + Splits.Counts.TrainReferenceNearDuplicates);
        TranslationSplitCounts c = Splits.Counts;
        Assert.Equal(c.ReferencePairs, c.Dev + c.DevNearDuplicates + c.TrainReference + c.TrainReferenceNearDuplicates);
        Assert.Equal(c.LibreOfficePairs, c.TrainLibreOffice + c.TrainLibreOfficeNearDuplicates + c.LibreOfficeTooShort + c.LibreOfficeWithPlaceholders);
    }

    [Theory]
    [InlineData("Insert ~Rows", true)]
    [InlineData("Column %1", true)]
    [InlineData("Hello $name$ there", true)]
    [InlineData("<b>bold</b> text here", true)]
    [InlineData("Save the changes before closing", false)]
    public void Placeholders_are_recognised(string message, bool expected) =>
        Assert.Equal(expected, MessagePlaceholders.Contains(message));

    [Theory]
    [InlineData("", 0)]
    [InlineData("  one  two\tthree\nfour ", 4)]
    [InlineData("Debian 是", 2)]
    public void Words_are_runs_of_non_space(string text, int expected) => Assert.Equal(expected, TranslationPair.CountWords(text));
}
