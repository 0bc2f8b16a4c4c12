using Myna.Apps.Translation;
using Myna.Tests.Text;

namespace Myna.Tests.Apps.Translation;

/// <summary>The committed miniature of data/apps/translate (written for the tests): 5 FAQ pairs (one over 60 words,
/// two with the same English), 8 Reference pairs (one over 60 words, one repeating a FAQ sentence) and 7 LibreOffice
/// messages (a one-word label, two with placeholders, one repeating a FAQ sentence).</summary>
internal static class TranslationFixtures
{
    public static string Folder => TempFolder.Committed("Apps/Translation/Fixtures");

    public static TranslationData Data() => TranslationData.Load(Folder);
}
