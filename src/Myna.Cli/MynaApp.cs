using System.CommandLine;
using System.CommandLine.Invocation;
using System.Globalization;
using System.Reflection;
using Myna.Cli.Commands;

namespace Myna.Cli;

/// <summary>The <c>myna</c> command tree and the rules every command shares: exit codes and error output.</summary>
public static class MynaApp
{
    /// <summary>Exit code for a command that did its job.</summary>
    public const int Success = 0;

    /// <summary>Exit code for input the command could not process (missing file, bad data).</summary>
    public const int Failure = 1;

    /// <summary>Exit code for a command line that does not parse: unknown option, bad value, missing argument.</summary>
    public const int UsageError = 2;

    /// <summary>Builds the root command with every working subcommand registered.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand(
            "Myna: prepare text, train, evaluate and serve GPT-style language models in pure .NET.\n\n" +
            "Examples:\n" +
            "  myna quickstart\n" +
            "  myna tokenize --tokenizer gpt2 --text \"Hello, I am a product manager.\" --json\n" +
            "  myna bench tokenize --json");
        // --version reports Myna's version, also when the host process is another program (tests, tools).
        root.Options.OfType<VersionOption>().Single().Action = new PrintVersionAction();
        // In pipeline order: prepare text, tokenizer, shards, then use models.
        root.Subcommands.Add(QuickstartCommand.Create());
        root.Subcommands.Add(PrepareCommand.Create());
        root.Subcommands.Add(TokenizerCommand.Create());
        root.Subcommands.Add(TokenizeCommand.Create());
        root.Subcommands.Add(ShardCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(GenerateCommand.Create());
        root.Subcommands.Add(ChatCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(CompareCommand.Create());
        root.Subcommands.Add(SupportCommand.Create());
        root.Subcommands.Add(TranslateCommand.Create());
        root.Subcommands.Add(RecommendCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        return root;
    }

    /// <summary>Myna's version, with the commit it was built from when known.</summary>
    public static string Version { get; } =
        typeof(MynaApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    private static readonly AsyncLocal<TextReader> CurrentInput = new();

    /// <summary>What interactive commands read: standard input, or the reader a test passed to <see cref="Run"/>.</summary>
    public static TextReader Input => CurrentInput.Value ?? Console.In;

    /// <summary>Parses and runs a command line; returns the process exit code.</summary>
    public static int Run(string[] args, TextWriter? output = null, TextWriter? error = null, TextReader? input = null)
    {
        CurrentInput.Value = input ?? Console.In;
        // Numbers are printed and parsed the same way on every machine ("0.5", never "0,5").
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
        output ??= Console.Out;
        error ??= Console.Error;
        RootCommand root = BuildRoot();
        // A bare `myna` teaches rather than scolds.
        ParseResult parsed = root.Parse(args.Length == 0 ? ["--help"] : args);
        if (parsed.Errors.Count > 0)
        {
            // One line, then where to learn more: scripts read the exit code, people read the line.
            // An unknown token is the most useful thing to name; other errors follow it.
            string message = parsed.UnmatchedTokens.Count > 0
                ? $"unrecognized option or argument '{parsed.UnmatchedTokens[0]}'{DidYouMean(parsed.UnmatchedTokens[0], parsed.CommandResult.Command)}"
                : parsed.Errors[0].Message;
            // Some parser messages span lines (e.g. the list of accepted values); the contract is one line.
            message = string.Join(" ", message.Split(['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(part => part.Trim()));
            string command = string.Join(' ', CommandPath(parsed));
            error.WriteLine($"error: {message} (see '{command} --help')");
            return UsageError;
        }

        if (parsed.Action is System.CommandLine.Help.HelpAction && parsed.CommandResult.Command.Subcommands.Count > 0)
        {
            WriteGroupHelp(parsed.CommandResult.Command, string.Join(' ', CommandPath(parsed)), output);
            return Success;
        }

        var config = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        // myna serve drains on SIGTERM for its --shutdown-grace; the 2 s default would cut the drain short (exit 143).
        if (ServeCommand.TerminationTimeout(parsed) is { } serveTimeout) config.ProcessTerminationTimeout = serveTimeout;
        try
        {
            return parsed.Invoke(config);
        }
        catch (Exception ex)
        {
            // Every failure ends as one line; FailureReport decides whether it is the user's to fix or a bug of ours.
            return FailureReport.Report(ex, error);
        }
    }

    /// <summary>"; did you mean '--lr'?" for a mistyped option or subcommand of <paramref name="command"/>, or nothing when none is close.</summary>
    private static string DidYouMean(string token, Command command)
    {
        IEnumerable<string> names = token.StartsWith('-')
            ? command.Options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name))
            : command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name);
        // Split "--lrr=3" at the value so the name alone is compared.
        string name = token.Split('=', 2)[0];
        return Myna.Training.NearestName.Find(name, names) is { } nearest ? $"; did you mean '{nearest}'?" : "";
    }

    /// <summary>
    /// Help for a command with subcommands: one line per subcommand (the first line of its description), so the list
    /// reads as a table of contents; each subcommand's own --help has the details and examples.
    /// </summary>
    private static void WriteGroupHelp(Command command, string path, TextWriter output)
    {
        output.WriteLine(command.Description);
        output.WriteLine();
        output.WriteLine($"Usage: {path} <command> [options]");
        output.WriteLine();
        output.WriteLine("Commands:");
        int width = command.Subcommands.Max(c => c.Name.Length) + 2;
        foreach (Command sub in command.Subcommands)
        {
            string summary = (sub.Description ?? "").Split('\n')[0].Trim();
            int sentenceEnd = summary.IndexOf(". ", StringComparison.Ordinal);
            if (sentenceEnd > 0) summary = summary[..(sentenceEnd + 1)];
            if (summary.Length > 0 && !summary.EndsWith('.')) summary += summary.EndsWith(':') ? "" : ".";
            output.WriteLine($"  {sub.Name.PadRight(width)}{summary}");
        }
        output.WriteLine();
        output.WriteLine("Options:");
        output.WriteLine("  -h, --help    Show help; every command has its own, with examples.");
        if (command is RootCommand) output.WriteLine("  --version     Show the version.");
        output.WriteLine();
        output.WriteLine($"Run '{path} <command> --help' for a command's options and examples.");
    }

    private sealed class PrintVersionAction : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine(Version);
            return Success;
        }
    }

    private static IEnumerable<string> CommandPath(ParseResult parsed)
    {
        var names = new Stack<string>();
        for (var result = parsed.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            names.Push(result.Command is RootCommand ? "myna" : result.Command.Name);
        return names;
    }
}
