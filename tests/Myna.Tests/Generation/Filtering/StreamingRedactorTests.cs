using System.Text;
using Myna.Generation.Filtering;
using Myna.Text.Privacy;

namespace Myna.Tests.Generation.Filtering;

/// <summary>Redaction of text that arrives in pieces: never a part of a secret out, and the same text as redacting it whole.</summary>
public class StreamingRedactorTests
{
    private static readonly string[] Secrets =
    [
        "kq.smith@example.com", "+1 (415) 555-0132", "4111 1111 1111 1111", "192.168.10.20", "https://user:hunter22@db.example.org/x",
        "mail.me+tag@sub.domain.co.uk", "13800138000",
    ];

    private static readonly string[] Words = ["the", "report", "was", "sent", "to", "call", "at", "42", "or", "1999", "(see", "notes)", "and", "Ok."];

    [Fact]
    public void Random_splits_release_the_same_text_as_a_whole_redaction_and_never_a_secret()
    {
        var random = new Random(31);
        var redactor = new PiiRedactor();
        for (int trial = 0; trial < 300; trial++)
        {
            var text = new StringBuilder();
            for (int w = random.Next(3, 20); w > 0; w--)
            {
                text.Append(random.Next(5) == 0 ? Secrets[random.Next(Secrets.Length)] : Words[random.Next(Words.Length)]);
                text.Append(random.Next(6) == 0 ? "\n" : " ");
            }
            string whole = text.ToString(), expected = redactor.Redact(whole).Text;
            // Secrets the whole redaction removes (a card run into a year, "1999 4111 …", is no card number to it either).
            string[] removed = Secrets.Select(s => s[..6]).Where(s => whole.Contains(s, StringComparison.Ordinal) && !expected.Contains(s, StringComparison.Ordinal)).ToArray();
            var streaming = new StreamingRedactor();
            var released = new StringBuilder();
            for (int at = 0; at < whole.Length;)
            {
                int take = Math.Min(whole.Length - at, random.Next(1, 6));
                released.Append(streaming.Push(whole.Substring(at, take), final: false));
                at += take;
                foreach (string secret in removed) Assert.DoesNotContain(secret, released.ToString());
            }
            released.Append(streaming.Push("", final: true));
            Assert.Equal(expected, released.ToString());
        }
    }

    [Theory]
    [InlineData("write to me", 9)]       // after "write to ": letters around the space
    [InlineData("call 415 555", 5)]      // "415 555" may be one phone number: the cut stays before it
    [InlineData("line one\nkq@x", 9)]    // a line break always ends whatever came before
    [InlineData("nothing", 0)]
    [InlineData("at 42 ", 3)]            // the space after 42 may continue into digits still to come
    public void Text_is_released_up_to_the_last_point_no_match_can_span(string text, int cut) =>
        Assert.Equal(cut, StreamingRedactor.LastSafeCut(new StringBuilder(text)));
}
