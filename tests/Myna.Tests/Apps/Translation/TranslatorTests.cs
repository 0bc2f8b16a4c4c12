using Myna.Apps.Translation;
using Myna.Generation;
using Myna.Models.Inference;
using Myna.Tests.Generation;

namespace Myna.Tests.Apps.Translation;

/// <summary>The model translator over a tiny random byte-level model: the prompt it decodes, batching, failures.</summary>
public sealed class TranslatorTests : IDisposable
{
    private readonly TinyModelDirectory _model = TinyModelDirectory.Create(tiedEmbeddings: true, contextLength: 128);

    public void Dispose() => _model.Dispose();

    [Fact]
    public void Decodes_greedily_after_end_of_text_and_the_prompt_until_the_line_ends()
    {
        Translator translator = Translator.FromDirectory(_model.Path, new TranslatorOptions { Precision = InferencePrecision.F32 });
        const string source = "Debian is free.";
        // The oracle: the same prompt decoded directly for the source's allowance (2 × 15 byte tokens + 16), cut at the first line break.
        GptLanguageModel model = GptLanguageModel.FromPretrained(_model.Path);
        int[] prompt = [TinyModelDirectory.EndOfText, .. model.Tokenizer!.Encode("English: Debian is free.\nChinese:")];
        string direct = model.GenerateDetailed([prompt], new GenerationOptions { MaxNewTokens = 46 })[0].Text;
        string expected = direct.Split('\n')[0].Trim();
        Assert.Equal(expected, translator.Translate(source));
        Assert.DoesNotContain('\n', translator.Translate(source));
    }

    [Fact]
    public void Batching_does_not_change_a_translation()
    {
        string[] sources = ["Open the file.", "Save all documents before closing the window.", "Quit.", "Print the page twice, please.", "Yes."];
        var alone = sources.Select(s => Translator.FromDirectory(_model.Path, new TranslatorOptions { BatchSize = 1 }).Translate(s)).ToArray();
        IReadOnlyList<string> batched = Translator.FromDirectory(_model.Path, new TranslatorOptions { BatchSize = 3 }).Translate(sources);
        Assert.Equal(alone, batched);
    }

    [Fact]
    public async Task Empty_and_overlong_lines_fail_alone()
    {
        Translator translator = Translator.FromDirectory(_model.Path);
        IReadOnlyList<TranslatedLine> lines = await translator.TranslateLinesAsync(["Hello.", "  ", new string('x', 200), "Bye."]);
        Assert.False(lines[0].Failed);
        Assert.Equal("the line is empty.", lines[1].Error);
        Assert.Contains("the model's context is 128", lines[2].Error);
        Assert.Equal("", lines[2].Text);
        Assert.False(lines[3].Failed);
        Assert.Throws<ArgumentException>(() => translator.Translate(new string('x', 200)));
    }

    [Fact]
    public void A_missing_model_names_the_recipe()
    {
        var error = Assert.Throws<DirectoryNotFoundException>(() => Translator.FromDirectory(Path.Combine(_model.Path, "missing")));
        Assert.Contains("recipes/translate.sh", error.Message);
    }
}
