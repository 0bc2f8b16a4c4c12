using System.Text;

namespace Myna.Generation.Chat;

/// <summary>
/// The plain-text dialogue format Myna uses to chat with base (not instruction-tuned) GPT-2 models:
/// <code>
/// {system text}
///
/// User: {message}
/// Assistant: {reply}
///
/// User: {message}
/// Assistant:
/// </code>
/// A base model continues such a transcript naturally; generation stops when it starts the next "User:" turn.
/// When the transcript does not fit the context, the oldest turns are dropped first (the system text is kept).
/// </summary>
public static class ChatTemplate
{
    /// <summary>Speaker labels as they appear in the transcript.</summary>
    public const string UserLabel = "User:", AssistantLabel = "Assistant:";

    /// <summary>Stops the reply where the model begins to write the user's next turn.</summary>
    public static IReadOnlyList<string> StopSequences { get; } = ["\nUser:", "\n\nUser", "\nAssistant:"];

    /// <summary>One turn of a conversation.</summary>
    public sealed record Turn(ChatSpeaker Speaker, string Text);

    /// <summary>The transcript for <paramref name="turns"/>, ending with the assistant's open turn.</summary>
    public static string Format(IReadOnlyList<Turn> turns)
    {
        var text = new StringBuilder();
        foreach (Turn system in turns.Where(t => t.Speaker == ChatSpeaker.System))
            text.Append(system.Text.Trim()).Append("\n\n");
        foreach (Turn turn in turns.Where(t => t.Speaker != ChatSpeaker.System))
        {
            if (turn.Speaker == ChatSpeaker.User) text.Append(UserLabel).Append(' ').Append(turn.Text.Trim()).Append('\n');
            else text.Append(AssistantLabel).Append(' ').Append(turn.Text.Trim()).Append("\n\n");
        }
        text.Append(AssistantLabel);
        return text.ToString();
    }

    /// <summary>
    /// Token ids of the transcript, dropping the oldest non-system turns until at most <paramref name="maxTokens"/> remain.
    /// </summary>
    /// <exception cref="ArgumentException">Even the system text and the last user turn alone are too long.</exception>
    public static int[] Encode(IReadOnlyList<Turn> turns, Func<string, int[]> encode, int maxTokens)
    {
        var kept = turns.ToList();
        while (true)
        {
            int[] ids = encode(Format(kept));
            if (ids.Length <= maxTokens) return ids;
            int oldest = kept.FindIndex(t => t.Speaker != ChatSpeaker.System);
            bool onlyLastLeft = kept.Count(t => t.Speaker != ChatSpeaker.System) <= 1;
            if (oldest < 0 || onlyLastLeft)
                throw new ArgumentException($"the conversation needs {ids.Length} tokens even with older turns dropped; the model can take {maxTokens}. Shorten the message.");
            kept.RemoveAt(oldest);
        }
    }
}

/// <summary>Who speaks a turn.</summary>
public enum ChatSpeaker
{
    /// <summary>Instructions that frame the conversation.</summary>
    System,

    /// <summary>The person.</summary>
    User,

    /// <summary>The model.</summary>
    Assistant,
}
