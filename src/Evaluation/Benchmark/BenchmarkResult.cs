using MsMano.Evaluation.Datasets.PoseFiles;
using MsMano.Evaluation.Metrics;
using MsMano.Evaluation.Refine;
using MsMano.Evaluation.Reports;

namespace MsMano.Evaluation.Benchmark;

/// <summary>
/// The claim the benchmark checks, as numbers on the test split: BioPR + RefineNet against the base prediction and
/// against the best temporal smoothing (window chosen on the training split). Negative deltas are improvements.
/// </summary>
public sealed record BenchmarkVerdict(double MpjpeDeltaVsBase, double AeDeltaVsBase, double MpjpeDeltaVsSmoothing, double AeDeltaVsSmoothing)
{
    public bool LowersMpjpe => MpjpeDeltaVsBase < 0;

    public bool LowersAe => AeDeltaVsBase < 0;

    public bool BeatsSmoothing => MpjpeDeltaVsSmoothing < 0;
}

/// <summary>Everything one benchmark run produced.</summary>
public sealed record BenchmarkResult(
    EvaluationReport Report,
    long PolicyVersion,
    int SmoothingWindow,
    IReadOnlyList<RefineTrainingPoint> RefineHistory,
    double BioPrFramesPerSecond,
    BenchmarkVerdict Verdict)
{
    /// <summary>The first test sequence's poses (ground truth, base prediction, BioPR + RefineNet), for the viewer's clip.</summary>
    public BenchmarkSample? Sample { get; init; }

    public MetricSummary Metrics(string method) =>
        Report.Methods.FirstOrDefault(m => m.Method == method)?.Metrics
        ?? throw new KeyNotFoundException($"The report has no method '{method}' (methods: {string.Join(", ", Report.Methods.Select(m => m.Method))}).");
}

/// <summary>One test sequence as the benchmark saw it: ground truth, the base estimator's prediction and BioPR's refined pose.</summary>
public sealed record BenchmarkSample(string Name, PoseSequence GroundTruth, PoseSequence Predicted, PoseSequence Refined);
