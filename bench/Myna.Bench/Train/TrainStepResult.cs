namespace Myna.Bench.Train;

/// <summary>The figures <see cref="TrainStepBenchmark"/> reports. <see cref="Mfu"/> is against the peak at the measured
/// clock (<see cref="ClockGhz"/>); <see cref="MfuAtNominalClock"/> against the clock the system reports, when it does.
/// <see cref="Isa"/> and <see cref="Kernel"/> name the tier and GEMM micro-kernel that ran.</summary>
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
    double? MfuAtNominalClock,
    string Isa,
    string Kernel,
    double PeakWorkingSetMb,
    float FirstLoss,
    float LastLoss,
    double ForwardMs,
    double BackwardMs,
    double OptimizerMs);
