using Spectre.Console;

namespace Myna.Cli;

/// <summary>Spectre.Console consoles bound to the writers a command was given, so tests can capture what users see.</summary>
internal static class Terminal
{
    /// <summary>A console over <paramref name="writer"/>; colours only when it is the real, interactive stdout.</summary>
    public static IAnsiConsole For(TextWriter writer)
    {
        bool interactive = ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected;
        return AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
    }

    /// <summary>
    /// Runs <paramref name="work"/> under a progress bar when <paramref name="writer"/> is the interactive stdout, and
    /// plainly otherwise. The work gets a callback that moves the bar (null when there is no bar).
    /// </summary>
    public static T WithProgress<T>(TextWriter writer, string title, double maxValue, Func<Action<double>?, T> work)
    {
        bool interactive = ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected;
        if (!interactive) return work(null);
        T result = default!;
        AnsiConsole.Progress().Start(context =>
        {
            ProgressTask bar = context.AddTask(title, maxValue: maxValue);
            result = work(value => bar.Value = value);
            bar.Value = maxValue;
        });
        return result;
    }
}
