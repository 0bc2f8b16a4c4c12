using Xunit.Abstractions;

namespace Myna.KernelRunner;

/// <summary>
/// xunit's discovery and execution settings as a plain name-to-value table (the runner utility that usually supplies
/// them is not used here); names xunit does not find fall back to its own defaults.
/// </summary>
internal sealed class FrameworkOptions : ITestFrameworkDiscoveryOptions, ITestFrameworkExecutionOptions
{
    private readonly Dictionary<string, object?> values = [];

    /// <summary>
    /// One test case per theory data row, so each row is reported (and can fail) on its own line, as
    /// <c>dotnet test</c> shows them.
    /// </summary>
    public static FrameworkOptions ForDiscovery()
    {
        var options = new FrameworkOptions();
        options.SetValue("xunit.discovery.PreEnumerateTheories", true);
        return options;
    }

    /// <summary>xunit's default execution: test collections (classes) in parallel, one thread per core.</summary>
    public static FrameworkOptions ForExecution() => new();

    public TValue GetValue<TValue>(string name) => values.TryGetValue(name, out object? value) && value is TValue typed ? typed : default!;

    public void SetValue<TValue>(string name, TValue value) => values[name] = value;
}
