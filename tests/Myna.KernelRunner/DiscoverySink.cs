using Xunit;
using Xunit.Abstractions;

namespace Myna.KernelRunner;

/// <summary>Collects the test cases xunit discovers and signals when discovery is complete.</summary>
internal sealed class DiscoverySink : LongLivedMarshalByRefObject, IMessageSink, IDisposable
{
    private readonly List<ITestCase> testCases = [];
    private readonly ManualResetEventSlim finished = new();

    public bool OnMessage(IMessageSinkMessage message)
    {
        switch (message)
        {
            case ITestCaseDiscoveryMessage discovered:
                lock (testCases) testCases.Add(discovered.TestCase);
                break;
            case IDiscoveryCompleteMessage:
                finished.Set();
                break;
        }
        return true;
    }

    /// <summary>Blocks until discovery is complete, then returns every discovered test case.</summary>
    public IReadOnlyList<ITestCase> WaitForTestCases()
    {
        finished.Wait();
        lock (testCases) return [.. testCases];
    }

    public void Dispose() => finished.Dispose();
}
