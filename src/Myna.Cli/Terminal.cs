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
}
