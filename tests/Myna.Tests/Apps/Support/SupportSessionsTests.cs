using Myna.Apps.Support;

namespace Myna.Tests.Apps.Support;

public sealed class SupportSessionsTests
{
    private sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static SupportTurn Turn(string? entry) => new(DateTimeOffset.UnixEpoch, "s", "m", "en", entry, entry is null, 1);

    [Fact]
    public void The_least_recently_used_session_goes_when_the_cap_is_reached()
    {
        var sessions = new SupportSessions(new SupportOptions { MaxSessions = 2 }, new ManualTime());
        sessions.Use("a", s => { s.Add(Turn("x")); return 0; });
        sessions.Use("b", _ => 0);
        sessions.Use("a", _ => 0); // a is now the most recent
        sessions.Use("c", _ => 0); // b goes
        Assert.Equal(2, sessions.Count);
        Assert.Null(sessions.Find("b"));
        Assert.Equal("x", sessions.Find("a")!.PreviousEntryId);
        Assert.NotNull(sessions.Find("c"));
    }

    [Fact]
    public void Idle_sessions_expire()
    {
        var time = new ManualTime();
        var sessions = new SupportSessions(new SupportOptions { SessionIdleTimeout = TimeSpan.FromMinutes(30) }, time);
        sessions.Use("old", s => { s.Add(Turn("kernel")); return 0; });
        time.Now += TimeSpan.FromMinutes(20);
        sessions.Use("recent", _ => 0);
        time.Now += TimeSpan.FromMinutes(15); // old idle 35 min, recent 15
        Assert.Null(sessions.Find("old"));
        Assert.NotNull(sessions.Find("recent"));
        Assert.Null(sessions.Use("old", s => s.PreviousEntryId)); // a new session under the same id
    }

    [Fact]
    public void A_session_keeps_its_recent_turns_and_the_last_answered_entry()
    {
        var sessions = new SupportSessions(new SupportOptions { MaxTurnsPerSession = 2 });
        sessions.Use("s", s =>
        {
            s.Add(Turn("one"));
            s.Add(Turn("two"));
            s.Add(Turn(null)); // a hand-off keeps the previous entry
            return 0;
        });
        SupportSession session = sessions.Find("s")!;
        Assert.Equal(["two", null], session.Turns.Select(t => t.EntryId));
        Assert.Equal("two", session.PreviousEntryId);
    }

    [Fact]
    public void Many_clients_cannot_grow_the_sessions_past_the_cap()
    {
        var sessions = new SupportSessions(new SupportOptions { MaxSessions = 100 });
        Parallel.For(0, 5_000, i => sessions.Use("client-" + i, _ => 0));
        Assert.Equal(100, sessions.Count);
    }
}
