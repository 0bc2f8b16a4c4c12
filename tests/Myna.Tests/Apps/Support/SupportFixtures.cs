using Myna.Apps.Support;
using Myna.Tests.Text;

namespace Myna.Tests.Apps.Support;

/// <summary>The committed support fixtures: eight Debian FAQ-style entries in English and Chinese, and nine labelled questions.</summary>
internal static class SupportFixtures
{
    public static string FaqPath => TempFolder.Committed("Apps/Support/Fixtures/faq.jsonl");

    public static string QuestionsPath => TempFolder.Committed("Apps/Support/Fixtures/questions.jsonl");

    public static FaqKnowledgeBase Faq() => FaqKnowledgeBase.Load(FaqPath);
}
