using Myna.Generation;
using Myna.Models.Checkpoints;
using Myna.Tests.Generation;
using Myna.Tests.Text;
using Myna.Text.Tokenization;

namespace Myna.Tests.Models.Checkpoints;

public class ModelDirectoryTests
{
    [Fact]
    public void SavingAModelAndItsTokenizerWritesNoFileThroughALinkPlantedInTheFolder()
    {
        using var tiny = new TinyModelDirectory();
        using var dir = new TempFolder();
        string victim = dir.Write("victim.txt", "do not touch");
        string target = Path.Combine(dir.Path, "saved");
        Directory.CreateDirectory(target);
        // Every file the save writes (the tiny tokenizer is GPT-2's pair, so no tokenizer.json or added_tokens.json).
        string[] planted = [ModelDirectory.ConfigFileName, ModelDirectory.WeightsFileName, ModelDirectory.GenerationConfigFileName,
            "vocab.json", "merges.txt", "tokenizer_config.json", "special_tokens_map.json"];
        foreach (string name in planted) File.CreateSymbolicLink(Path.Combine(target, name), victim);

        GptLanguageModel model = GptLanguageModel.FromPretrained(tiny.Path);
        model.SavePretrained(target);
        model.Tokenizer!.SaveTo(target);

        Assert.Equal("do not touch", File.ReadAllText(victim));
        Assert.All(Directory.GetFiles(target), file => Assert.Null(new FileInfo(file).LinkTarget));
        GptLanguageModel reloaded = GptLanguageModel.FromPretrained(target);
        Assert.Equal(model.Weights.Values, reloaded.Weights.Values);
        Assert.Equal(model.Tokenizer.Fingerprint, ModelDirectory.LoadTokenizer(target)!.Fingerprint);
    }

    [Fact]
    public void AFolderWithoutTokenizerFilesHasNoTokenizer()
    {
        using var dir = new TempFolder();
        dir.Write("vocab.json", "{}"); // merges.txt missing: GPT-2's pair is incomplete
        Assert.False(ModelDirectory.HasTokenizer(dir.Path));
        Assert.Null(ModelDirectory.LoadTokenizer(dir.Path));
    }
}
