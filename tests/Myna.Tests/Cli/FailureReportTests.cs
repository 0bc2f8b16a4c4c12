using Myna.Cli;
using Myna.Models;
using Myna.Models.Checkpoints;
using Myna.Tests.Text;
using Myna.Tests.Training;

namespace Myna.Tests.Cli;

public class FailureReportTests
{
    [Fact]
    public void ABugIsOneLineWithExitCode70AndItsTraceGoesToACrashLog()
    {
        var error = new StringWriter();
        int code = FailureReport.Report(Thrown(new NullReferenceException("boom")), error);

        Assert.Equal(FailureReport.InternalError, code);
        string line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: internal error, a bug in Myna (NullReferenceException: boom)", line);
        Assert.DoesNotContain("   at ", line);
        string log = line[(line.IndexOf("details in ", StringComparison.Ordinal) + "details in ".Length)..line.IndexOf(". Please", StringComparison.Ordinal)];
        try
        {
            string text = File.ReadAllText(log);
            Assert.Contains("NullReferenceException: boom", text);
            Assert.Contains(nameof(Thrown), text); // the stack trace is in the file
        }
        finally
        {
            File.Delete(log);
        }
    }

    public static TheoryData<string> UserCausedKinds => ["data", "missing", "denied", "argument", "model"];

    [Theory]
    [MemberData(nameof(UserCausedKinds))]
    public void WhatAUserCausesIsOneErrorLineWithExitCode1(string kind)
    {
        var error = new StringWriter();
        const string message = "the file 'x' is wrong;\nfix it";
        Exception failure = kind switch
        {
            "data" => new InvalidDataException(message),
            "missing" => new FileNotFoundException(message),
            "denied" => new UnauthorizedAccessException(message),
            "argument" => new ArgumentException(message),
            _ => new ModelFormatException(message),
        };
        Assert.Equal(MynaApp.Failure, FailureReport.Report(failure, error));
        Assert.Equal("error: the file 'x' is wrong; fix it", error.ToString().TrimEnd());
    }

    [Fact]
    public void WrappersFromParallelLoopsAreLookedThrough()
    {
        var error = new StringWriter();
        Assert.Equal(MynaApp.Failure, FailureReport.Report(new AggregateException(new InvalidDataException("bad shard")), error));
        Assert.Equal("error: bad shard", error.ToString().TrimEnd());
    }

    [Fact]
    public void ANullArgumentIsABugNotTheUsersFault() => Assert.False(FailureReport.IsUserCaused(new ArgumentNullException("x")));

    [Fact]
    public void CancellationExitsWith130() => Assert.Equal(FailureReport.Cancelled, FailureReport.Report(new OperationCanceledException(), new StringWriter()));

    [Fact]
    public void TheParameterCountInLongArithmeticMatchesTheLayout()
    {
        foreach (string preset in GptConfig.PresetNames)
        {
            GptConfig config = GptConfig.FromPreset(preset);
            Assert.Equal(ParameterLayout.ForConfig(config).TotalLength, config.ParameterCount);
            GptConfig untied = config with { TiedEmbeddings = false, VocabSize = 1000 };
            Assert.Equal(ParameterLayout.ForConfig(untied).TotalLength, untied.ParameterCount);
        }
    }

    [Fact]
    public void TheActivationEstimateIsWhatTheBuffersTake()
    {
        var config = new GptConfig { VocabSize = 50, ContextLength = 16, EmbeddingSize = 24, HeadCount = 3, LayerCount = 2 };
        var activations = new GptActivations(config, 3, 8);
        long bytes = ArrayBytes(activations) + activations.Blocks.Sum(ArrayBytes);
        Assert.Equal(bytes, GptActivations.ByteCount(config, 3, 8));
    }

    private static long ArrayBytes(object holder) => holder.GetType().GetProperties()
        .Select(p => p.GetValue(holder)).Where(v => v is float[] or int[]).Cast<Array>().Sum(a => (long)a.Length * 4);

    private static Exception Thrown(Exception error)
    {
        try
        {
            throw error;
        }
        catch (Exception caught)
        {
            return caught;
        }
    }
}
