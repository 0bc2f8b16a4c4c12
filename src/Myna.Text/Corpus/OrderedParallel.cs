namespace Myna.Text.Corpus;

/// <summary>Maps a stream of items on several threads and yields the results in input order, holding at most one
/// "wave" of items in memory (threads × <see cref="BatchesPerThread"/> batches): the corpus is read on the calling
/// thread, a wave is processed in parallel, its results are yielded, and only then is the next wave read. PLINQ's
/// ordered merge, by contrast, lets producers run ahead of a slow consumer and grows with the corpus.</summary>
internal static class OrderedParallel
{
    /// <summary>Batches per thread in one wave: enough that a slow batch does not idle the other threads for long.</summary>
    private const int BatchesPerThread = 4;

    /// <summary>Yields <paramref name="work"/>(item) for every item, in order.</summary>
    public static IEnumerable<TResult> Map<TItem, TResult>(IEnumerable<TItem> items, Func<TItem, TResult> work, int threads,
        int batchSize, CancellationToken cancellationToken = default)
    {
        threads = threads > 0 ? threads : Environment.ProcessorCount;
        int waveSize = threads * BatchesPerThread * batchSize;
        var wave = new List<TItem>(waveSize);
        var results = new TResult[waveSize];
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken };
        using IEnumerator<TItem> source = items.GetEnumerator();
        while (true)
        {
            wave.Clear();
            while (wave.Count < waveSize && source.MoveNext()) wave.Add(source.Current);
            if (wave.Count == 0) yield break;
            int batches = (wave.Count + batchSize - 1) / batchSize;
            if (threads == 1 || batches == 1)
            {
                for (int i = 0; i < wave.Count; i++) results[i] = work(wave[i]);
            }
            else
            {
                Parallel.For(0, batches, options, b =>
                {
                    int end = Math.Min(wave.Count, (b + 1) * batchSize);
                    for (int i = b * batchSize; i < end; i++) results[i] = work(wave[i]);
                });
            }
            for (int i = 0; i < wave.Count; i++)
            {
                yield return results[i];
                results[i] = default!;
            }
        }
    }
}
