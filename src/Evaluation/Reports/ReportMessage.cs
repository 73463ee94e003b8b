using MsMano.Contracts.Evaluation;
using MsMano.Evaluation.Metrics;
using ClusterReport = MsMano.Contracts.Evaluation.EvaluationReport;

namespace MsMano.Evaluation.Reports;

/// <summary>Turns a written report into the cluster's <see cref="ClusterReport"/> message: the table as metrics plus the markdown.</summary>
public static class ReportMessage
{
    private const string Truncated = "\n\n… (truncated; the full report is on disk)\n";

    public static ClusterReport From(EvaluationReport report, long policyVersion, string split, string? markdown)
    {
        ArgumentNullException.ThrowIfNull(report);
        var metrics = new List<EvaluationMetric>();
        foreach (MethodResult method in report.Methods)
        {
            MetricSummary m = method.Metrics;
            metrics.Add(new EvaluationMetric(method.Method, split, "MPJPE", m.MpjpeMm, "mm"));
            metrics.Add(new EvaluationMetric(method.Method, split, "PA-MPJPE", m.PaMpjpeMm, "mm"));
            metrics.Add(new EvaluationMetric(method.Method, split, "AUC", m.Auc, "fraction (0-50 mm)"));
            metrics.Add(new EvaluationMetric(method.Method, split, "AE", m.AccelerationErrorMm, "mm/frame^2"));
        }

        // The wire message stays small; the full report lives on disk.
        if (markdown is not null && markdown.Length > ClusterReport.MaxMarkdownLength)
        {
            markdown = markdown[..(ClusterReport.MaxMarkdownLength - Truncated.Length)] + Truncated;
        }

        var message = new ClusterReport(report.Title, policyVersion, [.. metrics], markdown);
        message.Validate();
        return message;
    }
}
