using Myna.Generation.Chat;

namespace Myna.Tests.Generation.Chat;

public class ChatTemplateTests
{
    [Fact]
    public void FormatsATranscriptEndingWithTheAssistantsOpenTurn()
    {
        string text = ChatTemplate.Format([
            new(ChatSpeaker.System, "You are helpful."),
            new(ChatSpeaker.User, "Hi"),
            new(ChatSpeaker.Assistant, "Hello!"),
            new(ChatSpeaker.User, " How are you? "),
        ]);
        Assert.Equal("You are helpful.\n\nUser: Hi\nAssistant: Hello!\n\nUser: How are you?\nAssistant:", text);
    }

    [Fact]
    public void DropsTheOldestTurnsFirstButKeepsTheSystemText()
    {
        var turns = new List<ChatTemplate.Turn> { new(ChatSpeaker.System, "S") };
        for (int i = 0; i < 10; i++)
        {
            turns.Add(new(ChatSpeaker.User, $"question {i}"));
            turns.Add(new(ChatSpeaker.Assistant, $"answer {i}"));
        }
        turns.Add(new(ChatSpeaker.User, "last"));
        int[] Encode(string s) => s.Select(c => (int)c).ToArray();
        int[] ids = ChatTemplate.Encode(turns, Encode, 80);
        string kept = new(ids.Select(i => (char)i).ToArray());
        Assert.True(ids.Length <= 80);
        Assert.StartsWith("S\n\n", kept);
        Assert.EndsWith("User: last\nAssistant:", kept);
        Assert.DoesNotContain("question 0", kept);
        Assert.Throws<ArgumentException>(() => ChatTemplate.Encode([new(ChatSpeaker.User, new string('x', 100))], Encode, 50));
    }
}
