using MsMano.Evaluation.Benchmark;
using MsMano.Evaluation.Refine;

namespace MsMano.TestSupport;

/// <summary>The synthetic benchmark at a size a unit test can afford (seconds, not minutes).</summary>
public static class TinyBenchmark
{
    public static SyntheticBenchmarkOptions Synthetic => new() { TrainSequences = 4, TestSequences = 2, Seconds = 0.5, Fps = 30, Seed = 3 };

    public static BenchmarkOptions Options => new()
    {
        Refine = new RefineNetOptions { Iterations = 5, BatchSize = 64, Device = "cpu", LogEvery = 5 },
        SmoothingWindows = [2, 4],
        PcaComponents = 6,
    };

    public static EvaluationJobOptions Job(string directory) => new()
    {
        Dataset = "synthetic",
        OutputDirectory = directory,
        Synthetic = Synthetic,
        Benchmark = Options,
    };
}
