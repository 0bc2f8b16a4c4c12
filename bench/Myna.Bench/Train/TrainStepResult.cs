namespace Myna.Bench.Train;

/// <summary>The figures <see cref="TrainStepBenchmark"/> reports.</summary>
public sealed record TrainStepResult(
    string Preset,
    int Batch,
    int SequenceLength,
    int Steps,
    int Threads,
    int Cores,
    long Parameters,
    double MsPerStep,
    double TokensPerSecond,
    double FlopsPerStep,
    double Gflops,
    double ClockGhz,
    int FlopPerCycle,
    string PeakNote,
    double PeakGflops,
    double Mfu,
    double PeakWorkingSetMb,
    float FirstLoss,
    float LastLoss,
    double ForwardMs,
    double BackwardMs,
    double OptimizerMs);
