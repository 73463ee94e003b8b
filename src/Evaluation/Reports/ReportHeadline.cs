using System.Globalization;
using MsMano.Evaluation.Benchmark;
using ClusterReport = MsMano.Contracts.Evaluation.EvaluationReport;

namespace MsMano.Evaluation.Reports;

/// <summary>
/// One line of a cluster report for logs and consoles: BioPR's MPJPE and AE on the scored split against the base
/// estimator's, read from the report's metrics (so it works on a report that came over the wire as well).
/// </summary>
public static class ReportHeadline
{
    public static string Describe(ClusterReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        double? Metric(string method, string name) =>
            report.Metrics.FirstOrDefault(m => m.Method == method && m.Name == name)?.Value;

        double? mpjpe = Metric(BenchmarkMethods.BioPr, "MPJPE");
        double? ae = Metric(BenchmarkMethods.BioPr, "AE");
        if (mpjpe is null || ae is null)
        {
            return string.Create(CultureInfo.InvariantCulture, $"policy v{report.PolicyVersion}: {report.Metrics.Length} metrics, no BioPR row");
        }

        string split = report.Metrics.First(m => m.Method == BenchmarkMethods.BioPr).Split;
        return string.Create(CultureInfo.InvariantCulture,
            $"policy v{report.PolicyVersion} on {split}: BioPR MPJPE {mpjpe:F2} mm (base {Metric(BenchmarkMethods.Base, "MPJPE"):F2}), " +
            $"AE {ae:F2} mm/frame^2 (base {Metric(BenchmarkMethods.Base, "AE"):F2})");
    }

    /// <summary>The report's score table (method, MPJPE, PA-MPJPE, AUC x100, AE), one row per method in report order.</summary>
    public static IReadOnlyList<string[]> Rows(ClusterReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        CultureInfo c = CultureInfo.InvariantCulture;
        string Cell(string method, string name, double scale) =>
            report.Metrics.FirstOrDefault(m => m.Method == method && m.Name == name) is { } m ? (m.Value * scale).ToString("F2", c) : "-";
        return report.Metrics.Select(m => m.Method).Distinct()
            .Select(method => new[] { method, Cell(method, "MPJPE", 1), Cell(method, "PA-MPJPE", 1), Cell(method, "AUC", 100), Cell(method, "AE", 1) })
            .ToArray();
    }
}
