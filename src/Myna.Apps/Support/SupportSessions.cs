namespace Myna.Apps.Support;

/// <summary>
/// The conversations the assistant remembers, bounded two ways so memory cannot grow without limit: at most
/// <see cref="SupportOptions.MaxSessions"/> (the least recently used is dropped for a new one) and none idle longer
/// than <see cref="SupportOptions.SessionIdleTimeout"/>. Thread-safe.
/// </summary>
public sealed class SupportSessions
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<SupportSession>> _byId = new(StringComparer.Ordinal);
    private readonly LinkedList<SupportSession> _recency = new(); // most recently used first
    private readonly SupportOptions _options;
    private readonly TimeProvider _time;

    /// <summary>An empty set of sessions.</summary>
    public SupportSessions(SupportOptions options, TimeProvider? time = null)
    {
        _options = (options ?? throw new ArgumentNullException(nameof(options))).Validate();
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Sessions held now (expired ones included until the next use sweeps them).</summary>
    public int Count
    {
        get { lock (_gate) return _byId.Count; }
    }

    /// <summary>Runs <paramref name="use"/> on session <paramref name="id"/> (a new one when it is unknown or expired), alone: turns of one session never interleave.</summary>
    public T Use<T>(string id, Func<SupportSession, T> use)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(use);
        SupportSession session;
        lock (_gate)
        {
            DateTimeOffset now = _time.GetUtcNow();
            DropExpired(now);
            if (_byId.TryGetValue(id, out LinkedListNode<SupportSession>? node)) _recency.Remove(node);
            else
            {
                if (_byId.Count >= _options.MaxSessions)
                {
                    _byId.Remove(_recency.Last!.Value.Id);
                    _recency.RemoveLast();
                }
                node = new LinkedListNode<SupportSession>(new SupportSession(id, _options.MaxTurnsPerSession, now));
                _byId[id] = node;
            }
            _recency.AddFirst(node);
            node.Value.LastUsed = now;
            session = node.Value;
        }
        // The session's own lock, not the set's: different conversations are answered in parallel.
        lock (session.Gate) return use(session);
    }

    /// <summary>The session <paramref name="id"/> if it is held and not expired, else null.</summary>
    public SupportSession? Find(string id)
    {
        lock (_gate)
        {
            DropExpired(_time.GetUtcNow());
            return _byId.GetValueOrDefault(id)?.Value;
        }
    }

    /// <summary>Drops sessions idle past the timeout: they sit at the end of the recency list.</summary>
    private void DropExpired(DateTimeOffset now)
    {
        while (_recency.Last is { } oldest && now - oldest.Value.LastUsed > _options.SessionIdleTimeout)
        {
            _byId.Remove(oldest.Value.Id);
            _recency.RemoveLast();
        }
    }
}
