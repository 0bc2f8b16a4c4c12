using System.CommandLine;
using System.Globalization;
using Myna.Bench;
using Myna.Bench.Gemm;
using Myna.Tensors;
using Spectre.Console;

namespace Myna.Cli.Commands.Bench;

/// <summary><c>myna bench gemm</c>: GEMM GFLOP/s on the GPT-2 shapes against OpenBLAS, measured in the same run.</summary>
internal static class BenchGemmCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object on stdout and nothing else there." };
        var threads = new Option<int[]>("--threads")
        {
            Description = "Thread counts to measure (default: 1 and all cores).",
            AllowMultipleArgumentsPerToken = true,
        };
        var repeat = new Option<int>("--repeat")
        {
            Description = "Timed runs per case and implementation; best and median are reported.",
            DefaultValueFactory = _ => new GemmBenchOptions().Repeat,
        };
        var warmup = new Option<int>("--warmup")
        {
            Description = "Untimed runs per case first.",
            DefaultValueFactory = _ => new GemmBenchOptions().Warmup,
        };
        var shapes = new Option<string[]>("--shapes")
        {
            Description = "Shapes as M,N,K (default: the GPT-2 shapes 256,2304,768 256,3072,768 256,768,3072 256,50257,768 and 1024,1024,1024).",
            AllowMultipleArgumentsPerToken = true,
        };
        var layouts = new Option<GemmLayout[]>("--layouts")
        {
            Description = "Layouts to measure (default: NN NT TN).",
            AllowMultipleArgumentsPerToken = true,
        };
        var noPeer = new Option<bool>("--no-openblas") { Description = "Skip the OpenBLAS peer even when it is installed." };
        var isa = new Option<string>("--isa")
        {
            Description = "Instruction-set tier for both engines: auto (this machine's best; OpenBLAS picks its own kernels), " +
                "avx512, avx2 or portable. Myna reruns itself with the higher instruction sets off, and OpenBLAS is forced " +
                "to its matching kernels (OPENBLAS_CORETYPE SkylakeX, Haswell or Nehalem), so e.g. the AVX2 ratio can be " +
                "measured on an AVX-512 machine.",
            DefaultValueFactory = _ => "auto",
        };

        var command = new Command("gemm",
            "Measure GEMM GFLOP/s (2·M·N·K / time) on the GPT-2 training shapes for every layout, at 1 and all threads, " +
            "against OpenBLAS cblas_sgemm (libopenblas, loaded when installed) timed alternately in the same run.\n\n" +
            "Examples:\n" +
            "  myna bench gemm\n" +
            "  myna bench gemm --json\n" +
            "  myna bench gemm --isa avx2 --json\n" +
            "  myna bench gemm --threads 2 --layouts NT --shapes 256,50257,768 --repeat 9");
        command.Options.Add(json);
        command.Options.Add(threads);
        command.Options.Add(repeat);
        command.Options.Add(warmup);
        command.Options.Add(shapes);
        command.Options.Add(layouts);
        command.Options.Add(noPeer);
        command.Options.Add(isa);

        command.SetAction(parseResult =>
        {
            TextWriter output = parseResult.InvocationConfiguration.Output;
            TextWriter error = parseResult.InvocationConfiguration.Error;
            var options = new GemmBenchOptions { IncludeOpenBlas = !parseResult.GetValue(noPeer) };
            if (BenchIsa.Parse(parseResult.GetValue(isa)) is { } tier)
            {
                IReadOnlyDictionary<string, string?>? relaunch;
                try
                {
                    relaunch = GemmBenchmark.RelaunchEnvironment(tier, options.IncludeOpenBlas);
                }
                catch (ArgumentException ex)
                {
                    throw new CliException(ex.Message, MynaApp.UsageError, ex);
                }
                if (relaunch is not null) return IsaRelaunch.Run(tier, BenchIsa.Arguments(parseResult), relaunch);
            }
            int repeatCount = parseResult.GetValue(repeat);
            int warmupCount = parseResult.GetValue(warmup);
            if (repeatCount < 1) throw new CliException("--repeat must be at least 1.", MynaApp.UsageError);
            if (warmupCount < 0) throw new CliException("--warmup cannot be negative.", MynaApp.UsageError);
            options = options with { Repeat = repeatCount, Warmup = warmupCount };
            if (parseResult.GetValue(threads) is { Length: > 0 } threadCounts)
            {
                if (threadCounts.Select(t => ComputePool.ThreadCountRefusal(t)).FirstOrDefault(r => r is not null) is { } refusal)
                    throw new CliException($"--threads: a value {refusal}.", MynaApp.UsageError);
                options = options with { ThreadCounts = threadCounts };
            }
            if (parseResult.GetValue(layouts) is { Length: > 0 } layoutList) options = options with { Layouts = layoutList };
            if (parseResult.GetValue(shapes) is { Length: > 0 } shapeTexts)
            {
                try
                {
                    options = options with { Shapes = [.. shapeTexts.Select(GemmShape.Parse)] };
                }
                catch (FormatException ex)
                {
                    throw new CliException(ex.Message, MynaApp.UsageError, ex);
                }
            }

            GemmBenchReport report = new GemmBenchmark(options).Run(error);
            if (parseResult.GetValue(json)) output.WriteLine(report.ToJson());
            else WriteTable(report, output);
            return MynaApp.Success;
        });
        return command;
    }

    private static void WriteTable(GemmBenchReport report, TextWriter output)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(output),
        });
        string peer = report.OpenBlasCore is null ? "OpenBLAS" : $"OpenBLAS ({report.OpenBlasCore})";
        var table = new Table().Title($"GEMM GFLOP/s, Myna {report.MynaIsa} ({report.Kernel}) vs {peer}");
        table.AddColumns("M", "N", "K", "layout", "threads", "best", "median", "OpenBLAS best", "ratio");
        foreach (GemmBenchResult r in report.Results)
        {
            table.AddRow(
                Number(r.M), Number(r.N), Number(r.K), r.Layout.ToString(), Number(r.Threads),
                Format(r.GflopsBest), Format(r.GflopsMedian), Format(r.OpenBlasGflopsBest), Format(r.RatioVsOpenBlas, "F3"));
        }
        console.Write(table);
        foreach ((int threadCount, double ratio) in report.GeomeanRatioVsOpenBlas)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"geomean ratio vs OpenBLAS at {threadCount} thread(s): {ratio:F3}x"));
        if (report.OpenBlasLibrary is null) output.WriteLine("OpenBLAS not found: install libopenblas (Debian: apt-get install libopenblas-dev) to compare.");
        output.WriteLine($"peak per core: {report.Peak.Note}");
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Format(double? value, string format = "F1") =>
        value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "-";
}
