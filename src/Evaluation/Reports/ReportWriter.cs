using System.Globalization;
using System.Net;
using System.Text;
using MsMano.Evaluation.Metrics;
using Serilog;

namespace MsMano.Evaluation.Reports;

/// <summary>
/// Writes a results report as Markdown and HTML (same content) with PNG plots: the paper's table
/// (MPJPE ↓, PA-MPJPE ↓, AUC ↑, AE ↓ per method), a per-joint error table, and, when data are synthetic,
/// a SYNTHETIC banner at the top of every document and in every plot title.
/// </summary>
public static class ReportWriter
{
    public const string SyntheticBanner =
        "SYNTHETIC DATA: these numbers come from simulated predictions and/or ground truth, not from a real dataset, and must not be compared with published results.";

    private static readonly ILogger Log = Serilog.Log.ForContext(typeof(ReportWriter));

    public static ReportFiles Write(string directory, EvaluationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Methods.Count == 0)
        {
            throw new ArgumentException("A report needs at least one method.", nameof(report));
        }

        Directory.CreateDirectory(directory);
        var plots = new List<string>();
        if (report.Sequence is { } sequence)
        {
            string errorPlot = Path.Combine(directory, "error-over-time.png");
            ReportPlots.ErrorOverTime(errorPlot, sequence, report.Synthetic);
            string trajectoryPlot = Path.Combine(directory, "joint-trajectory.png");
            ReportPlots.JointTrajectory(trajectoryPlot, sequence, report.Synthetic);
            plots.Add(errorPlot);
            plots.Add(trajectoryPlot);
        }

        string markdown = Path.Combine(directory, "report.md");
        File.WriteAllText(markdown, Markdown(report, plots.Select(Path.GetFileName).OfType<string>().ToList()), new UTF8Encoding(false));
        string html = Path.Combine(directory, "report.html");
        File.WriteAllText(html, Html(report, plots.Select(Path.GetFileName).OfType<string>().ToList()), new UTF8Encoding(false));
        Log.Information("Wrote report {Title} ({Methods} methods, synthetic={Synthetic}) to {Directory}", report.Title, report.Methods.Count, report.Synthetic, directory);
        return new ReportFiles(markdown, html, plots);
    }

    /// <summary>The rows of the main table as display strings: method, MPJPE, PA-MPJPE, AUC (×100), AE.</summary>
    public static IReadOnlyList<string[]> MainTable(EvaluationReport report) =>
        report.Methods.Select(m => new[]
        {
            m.Method,
            Number(m.Metrics.MpjpeMm, 2) + Delta(report, m, x => x.MpjpeMm),
            Number(m.Metrics.PaMpjpeMm, 2) + Delta(report, m, x => x.PaMpjpeMm),
            Number(m.Metrics.Auc * 100, 1) + Delta(report, m, x => x.Auc * 100),
            Number(m.Metrics.AccelerationErrorMm, 2) + Delta(report, m, x => x.AccelerationErrorMm),
        }).ToList();

    private static readonly string[] MainHeader = ["Method", "MPJPE ↓ (mm)", "PA-MPJPE ↓ (mm)", "AUC ↑ (×100, 0-50 mm)", "AE ↓ (mm/frame²)"];

    private static string Markdown(EvaluationReport report, IReadOnlyList<string> plots)
    {
        var md = new StringBuilder();
        if (report.Synthetic)
        {
            md.AppendLine($"> **{SyntheticBanner}**").AppendLine();
        }

        md.AppendLine($"# {report.Title}").AppendLine();
        md.AppendLine($"Dataset: {report.Dataset}. Frames evaluated: {report.Methods[0].Metrics.Frames}. Metrics root-relative (wrist), PA = Procrustes with scale.").AppendLine();
        AppendMarkdownTable(md, MainHeader, MainTable(report));
        md.AppendLine().AppendLine("## Per-joint root-relative MPJPE (mm)").AppendLine();
        AppendMarkdownTable(md, PerJointHeader(report), PerJointRows(report));
        if (plots.Count > 0)
        {
            md.AppendLine().AppendLine("## Plots").AppendLine();
            foreach (string plot in plots)
            {
                md.AppendLine($"![{plot}]({plot})").AppendLine();
            }
        }

        AppendNotes(md, report, line => $"- {line}");
        return md.ToString();
    }

    private static string Html(EvaluationReport report, IReadOnlyList<string> plots)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html>").AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.AppendLine($"<title>{E(report.Title)}</title>");
        html.AppendLine("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #999;padding:4px 8px;text-align:right}td:first-child,th:first-child{text-align:left}.synthetic{background:#b00020;color:#fff;padding:1em;font-weight:bold;font-size:1.2em}</style>");
        html.AppendLine("</head><body>");
        if (report.Synthetic)
        {
            html.AppendLine($"<div class=\"synthetic\">{E(SyntheticBanner)}</div>");
        }

        html.AppendLine($"<h1>{E(report.Title)}</h1>");
        html.AppendLine($"<p>Dataset: {E(report.Dataset)}. Frames evaluated: {report.Methods[0].Metrics.Frames}. Metrics root-relative (wrist), PA = Procrustes with scale.</p>");
        AppendHtmlTable(html, MainHeader, MainTable(report));
        html.AppendLine("<h2>Per-joint root-relative MPJPE (mm)</h2>");
        AppendHtmlTable(html, PerJointHeader(report), PerJointRows(report));
        if (plots.Count > 0)
        {
            html.AppendLine("<h2>Plots</h2>");
            foreach (string plot in plots)
            {
                html.AppendLine($"<p><img src=\"{E(plot)}\" alt=\"{E(plot)}\"></p>");
            }
        }

        if (report.Notes is { Count: > 0 })
        {
            html.AppendLine("<h2>Notes</h2><ul>");
            foreach (string note in report.Notes)
            {
                html.AppendLine($"<li>{E(note)}</li>");
            }

            html.AppendLine("</ul>");
        }

        html.AppendLine("</body></html>");
        return html.ToString();
    }

    private static string[] PerJointHeader(EvaluationReport report) => ["Joint", .. report.Methods.Select(m => m.Method)];

    private static List<string[]> PerJointRows(EvaluationReport report)
    {
        int joints = report.Methods[0].Metrics.PerJointMpjpeMm.Length;
        var rows = new List<string[]>();
        for (int j = 0; j < joints; j++)
        {
            string name = joints == HandJoints.Count ? HandJoints.Names[j] : j.ToString(CultureInfo.InvariantCulture);
            rows.Add([name, .. report.Methods.Select(m => Number(m.Metrics.PerJointMpjpeMm[j], 2))]);
        }

        return rows;
    }

    private static void AppendNotes(StringBuilder md, EvaluationReport report, Func<string, string> format)
    {
        if (report.Notes is not { Count: > 0 })
        {
            return;
        }

        md.AppendLine().AppendLine("## Notes").AppendLine();
        foreach (string note in report.Notes)
        {
            md.AppendLine(format(note));
        }
    }

    private static void AppendMarkdownTable(StringBuilder md, string[] header, IReadOnlyList<string[]> rows)
    {
        md.AppendLine("| " + string.Join(" | ", header.Select(EscapeCell)) + " |");
        md.AppendLine("|" + string.Concat(header.Select((_, i) => i == 0 ? "---|" : "---:|")));
        foreach (string[] row in rows)
        {
            md.AppendLine("| " + string.Join(" | ", row.Select(EscapeCell)) + " |");
        }
    }

    private static void AppendHtmlTable(StringBuilder html, string[] header, IReadOnlyList<string[]> rows)
    {
        html.AppendLine("<table><thead><tr>" + string.Concat(header.Select(h => $"<th>{WebUtility.HtmlEncode(h)}</th>")) + "</tr></thead><tbody>");
        foreach (string[] row in rows)
        {
            html.AppendLine("<tr>" + string.Concat(row.Select(c => $"<td>{WebUtility.HtmlEncode(c)}</td>")) + "</tr>");
        }

        html.AppendLine("</tbody></table>");
    }

    private static string EscapeCell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    private static string Number(double value, int decimals) =>
        double.IsFinite(value) ? value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : "n/a";

    // "+ BioPR" style rows show their change against the row they refine.
    private static string Delta(EvaluationReport report, MethodResult row, Func<MetricSummary, double> metric)
    {
        if (row.BaseMethod is null || report.Methods.FirstOrDefault(m => m.Method == row.BaseMethod) is not { } baseRow)
        {
            return "";
        }

        double delta = metric(row.Metrics) - metric(baseRow.Metrics);
        return double.IsFinite(delta) ? $" ({delta.ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture)})" : "";
    }
}
