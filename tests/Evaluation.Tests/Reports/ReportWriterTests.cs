using MsMano.Evaluation.Metrics;
using MsMano.Evaluation.Reports;
using MsMano.Evaluation.Tests.Datasets;
using MsMano.Evaluation.Tests.Metrics;
using MsMano.TestSupport;

namespace MsMano.Evaluation.Tests.Reports;

public sealed class ReportWriterTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public void Writes_markdown_html_and_plots_with_synthetic_banner()
    {
        var rng = new Random(5);
        Keypoints gt = MetricTests.RandomHand(rng, 60);
        Keypoints basePred = MetricTests.Noisy(gt, rng, 8);
        Keypoints refined = MetricTests.Noisy(gt, rng, 5);
        MetricSummary baseMetrics = HandPoseEvaluation.Evaluate([new("s", gt, basePred)]);
        MetricSummary refinedMetrics = HandPoseEvaluation.Evaluate([new("s", gt, refined)]);
        var report = new EvaluationReport(
            "BioPR on synthetic predictions", "synthetic DexYCB-like", Synthetic: true,
            [new MethodResult("base", baseMetrics), new MethodResult("base + BioPR", refinedMetrics, BaseMethod: "base")],
            new SequenceDetail("s", gt, [("base", basePred), ("base + BioPR", refined)]),
            ["Predictions come from the synthetic error model."]);

        using var dir = new TempDir();
        ReportFiles files = ReportWriter.Write(dir.Path, report);
        string md = File.ReadAllText(files.Markdown);
        Assert.StartsWith($"> **{ReportWriter.SyntheticBanner}**", md);
        Assert.Contains("| Method | MPJPE ↓ (mm) | PA-MPJPE ↓ (mm) | AUC ↑ (×100, 0-50 mm) | AE ↓ (mm/frame²) |", md);
        Assert.Contains($"| base | {baseMetrics.MpjpeMm:F2} |", md);
        Assert.Contains($"{refinedMetrics.MpjpeMm - baseMetrics.MpjpeMm:+0.00;-0.00}", md);
        Assert.Contains("| little_tip |", md);
        string html = File.ReadAllText(files.Html);
        Assert.Contains("class=\"synthetic\"", html);
        Assert.Contains("<td>base + BioPR</td>", html);

        Assert.Equal(2, files.Plots.Count);
        foreach (string plot in files.Plots)
        {
            byte[] bytes = File.ReadAllBytes(plot);
            Assert.Equal(PngSignature, bytes[..8]);
            Assert.True(bytes.Length > 10_000, $"{plot} is only {bytes.Length} bytes");
            Assert.Contains(Path.GetFileName(plot), md);
        }
    }

    [Fact]
    public void Real_data_has_no_banner_and_NaN_shows_as_not_available()
    {
        var rng = new Random(6);
        Keypoints gt = MetricTests.RandomHand(rng, 2); // two frames: no acceleration triple
        MetricSummary metrics = HandPoseEvaluation.Evaluate([new("s", gt, MetricTests.Noisy(gt, rng, 3))]);
        using var dir = new TempDir();
        ReportFiles files = ReportWriter.Write(dir.Path, new EvaluationReport("Real", "DexYCB s0 test", false, [new MethodResult("gSDF", metrics)]));
        string md = File.ReadAllText(files.Markdown);
        Assert.DoesNotContain("SYNTHETIC", md);
        Assert.DoesNotContain("SYNTHETIC", File.ReadAllText(files.Html));
        Assert.Contains("| n/a |", md);
        Assert.Empty(files.Plots);
    }
}
