namespace Myna.Apps.Recommendation;

/// <summary>
/// A seeded synthetic interaction log for tests: items fall into taste groups with Zipf popularity inside each group;
/// every user has one taste; a user's interactions come in sessions, and inside a session the next item is often the
/// successor of the last one (a series), so both popularity and sequence carry signal. Some interactions share their
/// predecessor's timestamp, as MovieLens ratings entered in one sitting do. The same settings always give the same log.
/// </summary>
public sealed record SyntheticLog
{
    /// <summary>Users (200: enough for stable metrics in a test that runs in well under a second).</summary>
    public int Users { get; init; } = 200;

    /// <summary>Items in the catalogue (120: small enough for a tiny model to learn in a few steps).</summary>
    public int Items { get; init; } = 120;

    /// <summary>Taste groups the items are split into (6).</summary>
    public int Tastes { get; init; } = 6;

    /// <summary>Fewest interactions per user (3: some users fall below the protocol's minimum of 5, as real logs have).</summary>
    public int MinLength { get; init; } = 3;

    /// <summary>Most interactions per user (40).</summary>
    public int MaxLength { get; init; } = 40;

    /// <summary>Chance the next item in a session is the successor of the last (0.6: a strong sequential signal).</summary>
    public double SeriesProbability { get; init; } = 0.6;

    /// <summary>Chance an item comes from outside the user's taste, by global popularity (0.1).</summary>
    public double ExplorationProbability { get; init; } = 0.1;

    /// <summary>Chance an interaction shares its predecessor's timestamp (0.1: exercises the tie-break).</summary>
    public double TieProbability { get; init; } = 0.1;

    /// <summary>The random seed.</summary>
    public int Seed { get; init; } = 7;

    /// <summary>Generates the log. User ids start at 1, movie ids at 1, timestamps at 2000-01-01.</summary>
    /// <exception cref="ArgumentException">The settings cannot make a log (no users, fewer items than tastes, bad lengths).</exception>
    public InteractionLog Generate()
    {
        if (Users < 1 || Tastes < 1 || Items < Tastes * 2) throw new ArgumentException("a synthetic log needs users, and at least two items per taste.");
        if (MinLength < 1 || MaxLength < MinLength || MaxLength > Items / 2) throw new ArgumentException("lengths must satisfy 1 ≤ min ≤ max ≤ items / 2.");
        var random = new Random(Seed);
        int perTaste = Items / Tastes;
        var interactions = new List<Interaction>();
        var seen = new HashSet<int>();
        for (int user = 1; user <= Users; user++)
        {
            int taste = random.Next(Tastes);
            int length = random.Next(MinLength, MaxLength + 1);
            long time = 946_684_800L + random.Next(0, 86_400 * 365);
            seen.Clear();
            int previous = -1;
            for (int n = 0; n < length; n++)
            {
                bool newSession = n == 0 || random.NextDouble() < 0.2;
                bool fresh = newSession;
                int item;
                do
                {
                    item = !fresh && previous >= 0 && random.NextDouble() < SeriesProbability
                        ? taste * perTaste + (previous - taste * perTaste + 1) % perTaste
                        : random.NextDouble() < ExplorationProbability ? Zipf(random, Items) : taste * perTaste + Zipf(random, perTaste);
                    fresh = true; // a repeat falls back to a fresh draw
                }
                while (!seen.Add(item));
                previous = item;
                if (n > 0 && random.NextDouble() >= TieProbability) time += newSession ? 86_400 * random.Next(1, 30) : random.Next(30, 600);
                interactions.Add(new Interaction(user, item + 1, time));
            }
        }
        return new InteractionLog($"synthetic(users={Users}, items={Items}, seed={Seed})", interactions, 0, []);
    }

    /// <summary>A draw in [0, n) with probability ∝ 1/(rank + 1): the popularity skew of real catalogues.</summary>
    private static int Zipf(Random random, int n)
    {
        double total = 0;
        for (int i = 0; i < n; i++) total += 1.0 / (i + 1);
        double u = random.NextDouble() * total;
        for (int i = 0; i < n; i++)
        {
            u -= 1.0 / (i + 1);
            if (u <= 0) return i;
        }
        return n - 1;
    }
}
