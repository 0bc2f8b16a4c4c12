using System.Text;
using FsCheck;
using FsCheck.Xunit;
using Myna.Text.Tokenization;
using Myna.Text.Tokenization.Training;

namespace Myna.Tests.Text.Tokenization.Training;

public class RoundTripProperties
{
    private static readonly Lazy<GptTokenizer> Trained = new(() =>
    {
        string dir = Path.Combine(Path.GetTempPath(), "myna-roundtrip-" + Guid.NewGuid().ToString("N")[..8]);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        new WordCounter([GptTokenizer.EndOfText]).CountInto(string.Concat(Enumerable.Range(0, 300).Select(MixedCorpus.English))
            + string.Concat(Enumerable.Range(0, 100).Select(MixedCorpus.Chinese)), counts);
        new BpeTrainer(new BpeTrainerOptions { VocabSize = 700 }).Train(counts).Save(dir);
        GptTokenizer tokenizer = GptTokenizer.FromDirectory(dir);
        Directory.Delete(dir, recursive: true);
        return tokenizer;
    });

    /// <summary>Any well-formed Unicode string, seen in training or not, survives encode then decode.</summary>
    [Property(MaxTest = 300)]
    public bool AnyTextRoundTrips(NonNull<string> input)
    {
        string text = input.Get;
        if (!IsWellFormed(text)) return true; // lone surrogates are not text
        return Trained.Value.Decode(Trained.Value.Encode(text)) == text;
    }

    [Property(MaxTest = 100)]
    public bool MixedScriptsRoundTrip(NonNull<string> a, int seed)
    {
        string text = MixedCorpus.Chinese(Math.Abs(seed % 50)) + a.Get + MixedCorpus.English(Math.Abs(seed % 70)) + " 🙂";
        if (!IsWellFormed(text)) return true;
        return Trained.Value.Decode(Trained.Value.Encode(text)) == text;
    }

    private static bool IsWellFormed(string text)
    {
        try
        {
            _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetByteCount(text);
            return true;
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
    }
}
