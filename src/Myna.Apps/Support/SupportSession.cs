namespace Myna.Apps.Support;

/// <summary>One conversation: the entry it was last answered from, and its recent turns (redacted).</summary>
public sealed class SupportSession
{
    private readonly Queue<SupportTurn> _turns = new();
    private readonly int _maxTurns;

    internal SupportSession(string id, int maxTurns, DateTimeOffset now)
    {
        Id = id;
        _maxTurns = maxTurns;
        LastUsed = now;
    }

    /// <summary>Held while a turn of this session is answered.</summary>
    internal Lock Gate { get; } = new();

    /// <summary>The client's session id.</summary>
    public string Id { get; }

    /// <summary>The entry the last answered (not handed-off) turn came from; a follow-up carries it.</summary>
    public string? PreviousEntryId { get; private set; }

    /// <summary>When the session was last used.</summary>
    public DateTimeOffset LastUsed { get; internal set; }

    /// <summary>The most recent turns, oldest first (at most <see cref="SupportOptions.MaxTurnsPerSession"/>).</summary>
    public IReadOnlyList<SupportTurn> Turns => [.. _turns];

    /// <summary>Records <paramref name="turn"/>; an answered turn becomes the entry follow-ups carry.</summary>
    internal void Add(SupportTurn turn)
    {
        _turns.Enqueue(turn);
        while (_turns.Count > _maxTurns) _turns.Dequeue();
        if (turn.EntryId is not null) PreviousEntryId = turn.EntryId;
    }
}
