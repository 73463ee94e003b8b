using MsMano.Evaluation.Metrics;

namespace MsMano.Evaluation.Reports;

/// <summary>One row of the results table. <paramref name="BaseMethod"/> names the row it refines (for "+ BioPR" deltas).</summary>
public sealed record MethodResult(string Method, MetricSummary Metrics, string? BaseMethod = null);

/// <summary>One sequence shown in detail: per-frame error per method and a joint's trajectory (all mm).</summary>
public sealed record SequenceDetail(
    string Name,
    Keypoints GtMm,
    IReadOnlyList<(string Method, Keypoints PredMm)> Predictions,
    int Joint = 8);

/// <summary>Everything a report shows. <see cref="Synthetic"/> puts a SYNTHETIC banner on every output.</summary>
public sealed record EvaluationReport(
    string Title,
    string Dataset,
    bool Synthetic,
    IReadOnlyList<MethodResult> Methods,
    SequenceDetail? Sequence = null,
    IReadOnlyList<string>? Notes = null);

/// <summary>Paths of the files a report wrote.</summary>
public sealed record ReportFiles(string Markdown, string Html, IReadOnlyList<string> Plots);
