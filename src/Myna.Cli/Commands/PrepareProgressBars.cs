using Myna.Text.Corpus;
using Spectre.Console;

namespace Myna.Cli.Commands;

/// <summary>Progress bars for the data commands (prepare, tokenizer train, shard): one bar per phase, sized by input
/// bytes (or merges), labelled with the documents done. Shown only on an interactive terminal; elsewhere the job
/// simply runs.</summary>
internal static class PrepareProgressBars
{
    /// <summary>Runs <paramref name="job"/>, drawing its progress reports on <paramref name="console"/> when interactive.</summary>
    public static T Run<T>(IAnsiConsole console, Func<IProgress<CorpusProgress>?, T> job)
    {
        if (!console.Profile.Capabilities.Interactive) return job(null);
        T result = default!;
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var tasks = new Dictionary<string, ProgressTask>();
                var gate = new Lock();
                // A synchronous IProgress: Progress<T> would post to the thread pool and could report after Start returns.
                result = job(new Reporter(p =>
                {
                    lock (gate)
                    {
                        if (!tasks.TryGetValue(p.Phase, out ProgressTask? task))
                            tasks[p.Phase] = task = context.AddTask(p.Phase, maxValue: Math.Max(1, p.Total));
                        task.Value = Math.Min(p.Done, task.MaxValue);
                        task.Description = p.Documents > 0 ? $"{p.Phase} ({p.Documents:N0} docs)" : p.Phase;
                    }
                }));
                foreach (ProgressTask task in tasks.Values) task.Value = task.MaxValue;
            });
        return result;
    }

    private sealed class Reporter(Action<CorpusProgress> report) : IProgress<CorpusProgress>
    {
        public void Report(CorpusProgress value) => report(value);
    }
}
