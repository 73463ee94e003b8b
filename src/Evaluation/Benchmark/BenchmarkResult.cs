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
    public MetricSummary Metrics(string method) =>
        Report.Methods.FirstOrDefault(m => m.Method == method)?.Metrics
        ?? throw new KeyNotFoundException($"The report has no method '{method}' (methods: {string.Join(", ", Report.Methods.Select(m => m.Method))}).");
}
