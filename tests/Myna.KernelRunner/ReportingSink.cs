using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Myna.KernelRunner;

/// <summary>
/// Prints one line per finished test (and the message and stack of each failure), counts the outcomes, and signals
/// when the whole assembly has finished.
/// </summary>
internal sealed class ReportingSink(TextWriter output) : LongLivedMarshalByRefObject, IMessageSink, IDisposable
{
    private readonly ManualResetEventSlim finished = new();
    private readonly object gate = new();

    public int Passed { get; private set; }

    /// <summary>Failed tests plus failures outside any test (a fixture's constructor or clean-up, a catastrophic error).</summary>
    public int Failed { get; private set; }

    public int Skipped { get; private set; }

    public bool OnMessage(IMessageSinkMessage message)
    {
        lock (gate)
        {
            switch (message)
            {
                case ITestPassed passed:
                    Passed++;
                    output.WriteLine($"  pass  {passed.ExecutionTime,7:F2}s  {passed.Test.DisplayName}");
                    break;
                case ITestSkipped skipped:
                    Skipped++;
                    output.WriteLine($"  skip            {skipped.Test.DisplayName}: {skipped.Reason}");
                    break;
                case ITestFailed failed:
                    Failed++;
                    output.WriteLine($"  FAIL  {failed.ExecutionTime,7:F2}s  {failed.Test.DisplayName}");
                    WriteFailure(failed);
                    break;
                case IFailureInformation failure:
                    // A failure that belongs to no single test, e.g. a class fixture that threw: count it, or a broken
                    // fixture would let its tests vanish from the totals unnoticed.
                    Failed++;
                    output.WriteLine($"  FAIL  {message.GetType().Name}");
                    WriteFailure(failure);
                    break;
                case ITestAssemblyFinished:
                    finished.Set();
                    break;
            }
        }
        return true;
    }

    /// <summary>Blocks until every selected test has run.</summary>
    public void WaitForCompletion() => finished.Wait();

    private void WriteFailure(IFailureInformation failure)
    {
        foreach (string line in $"{ExceptionUtility.CombineMessages(failure)}\n{ExceptionUtility.CombineStackTraces(failure)}".Split('\n'))
            output.WriteLine($"        {line.TrimEnd()}");
    }

    public void Dispose() => finished.Dispose();
}
