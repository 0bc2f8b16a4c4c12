using Xunit.Abstractions;

namespace Myna.KernelRunner;

/// <summary>
/// Which tests to run, from the command line: <c>--include PREFIX</c> keeps tests whose full name
/// (<c>Namespace.Class.Method</c>) starts with a prefix, <c>--exclude TEXT</c> drops those whose full name contains a
/// text; both repeat. With no <c>--include</c> every test is kept, which is rarely wanted under emulation.
/// </summary>
internal sealed record TestSelection(IReadOnlyList<string> Includes, IReadOnlyList<string> Excludes, bool ListOnly)
{
    public const string Usage =
        "usage: myna-kernel-runner [--include PREFIX]... [--exclude TEXT]... [--list]\n" +
        "  --include PREFIX  run tests whose Namespace.Class.Method starts with PREFIX (repeatable; default: all)\n" +
        "  --exclude TEXT    skip tests whose Namespace.Class.Method contains TEXT (repeatable)\n" +
        "  --list            print the selected tests without running them";

    /// <summary>The full name a test is selected by: its class's full name and its method name.</summary>
    public static string FullName(ITestCase test) => $"{test.TestMethod.TestClass.Class.Name}.{test.TestMethod.Method.Name}";

    /// <summary>Whether <paramref name="test"/> is in this selection.</summary>
    public bool Selects(ITestCase test)
    {
        string name = FullName(test);
        return (Includes.Count == 0 || Includes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)))
            && !Excludes.Any(text => name.Contains(text, StringComparison.Ordinal));
    }

    /// <summary>Parses the command line; false with a one-line <paramref name="error"/> on a bad argument.</summary>
    public static bool TryParse(string[] args, out TestSelection selection, out string? error)
    {
        var includes = new List<string>();
        var excludes = new List<string>();
        bool listOnly = false;
        selection = new TestSelection(includes, excludes, listOnly);
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--include" or "--exclude" when i + 1 < args.Length && args[i + 1].Length > 0:
                    (args[i] == "--include" ? includes : excludes).Add(args[++i]);
                    break;
                case "--list":
                    listOnly = true;
                    break;
                default:
                    error = $"error: unexpected argument '{args[i]}'\n{Usage}";
                    return false;
            }
        }
        selection = new TestSelection(includes, excludes, listOnly);
        error = null;
        return true;
    }
}
