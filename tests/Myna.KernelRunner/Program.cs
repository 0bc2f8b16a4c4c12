using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Myna.KernelRunner;
using Myna.Tensors;
using Xunit.Abstractions;
using Xunit.Sdk;

// Runs the selected tests of Myna.Tests in this process through xunit's own discovery and execution engine (the one
// `dotnet test` drives through its adapter), so theories, class fixtures and FsCheck properties behave exactly as
// there. Exit code: 0 when at least one test ran and none failed, 1 otherwise, 2 for a bad command line.

const string TestAssemblyName = "Myna.Tests";

if (!TestSelection.TryParse(args, out TestSelection selection, out string? error))
{
    Console.Error.WriteLine(error);
    return 2;
}

// Say where the tests run: under emulation this line is the proof that the Arm64 build, and its tier, ran them.
Console.WriteLine($"machine: {RuntimeInformation.ProcessArchitecture}, {RuntimeInformation.OSDescription}, " +
    $".NET {Environment.Version}, {Environment.ProcessorCount} cores; tier {SimdTiers.Name(SimdTiers.Current)} " +
    $"(Vector128 {Accelerated(Vector128.IsHardwareAccelerated)}, Vector256 {Accelerated(Vector256.IsHardwareAccelerated)}, " +
    $"Vector512 {Accelerated(Vector512.IsHardwareAccelerated)})");

Assembly tests = Assembly.Load(TestAssemblyName);
using var framework = new XunitTestFramework(new NullMessageSink());

IReadOnlyList<ITestCase> selected;
using (ITestFrameworkDiscoverer discoverer = framework.GetDiscoverer(Reflector.Wrap(tests)))
using (var discovery = new DiscoverySink())
{
    discoverer.Find(includeSourceInformation: false, discovery, FrameworkOptions.ForDiscovery());
    selected = [.. discovery.WaitForTestCases().Where(selection.Selects).OrderBy(TestSelection.FullName, StringComparer.Ordinal)];
}

if (selection.ListOnly)
{
    foreach (ITestCase test in selected) Console.WriteLine(test.DisplayName);
    Console.WriteLine($"{selected.Count} tests selected");
    return selected.Count > 0 ? 0 : 1;
}

Console.WriteLine($"running {selected.Count} tests of {TestAssemblyName}");
var clock = Stopwatch.StartNew();
using var report = new ReportingSink(Console.Out);
using (ITestFrameworkExecutor executor = framework.GetExecutor(tests.GetName()))
{
    executor.RunTests(selected, report, FrameworkOptions.ForExecution());
    report.WaitForCompletion();
}

// The plain closing line test tooling reads: 'N passed, N failed, N skipped'.
Console.WriteLine($"kernel tests ({RuntimeInformation.ProcessArchitecture}, {clock.Elapsed.TotalSeconds:F0} s):");
Console.WriteLine($"{report.Passed} passed, {report.Failed} failed, {report.Skipped} skipped");
return report.Failed == 0 && report.Passed > 0 ? 0 : 1;

static string Accelerated(bool accelerated) => accelerated ? "accelerated" : "not accelerated";
