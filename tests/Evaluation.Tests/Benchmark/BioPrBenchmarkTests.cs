using MsMano.Biomechanics.Kinematics;
using MsMano.Biomechanics.Model;
using MsMano.Evaluation.Benchmark;
using MsMano.Evaluation.Reports;
using MsMano.Evaluation.Tests.BioPr;
using MsMano.Evaluation.Tests.Datasets;
using MsMano.TestSupport;
using TorchSharp;

namespace MsMano.Evaluation.Tests.Benchmark;

[Collection("Torch")]
public sealed class BioPrBenchmarkTests
{
    private static readonly HandModel Model = HandModelFile.LoadDefault();

    [Fact]
    public void Runs_end_to_end_and_writes_a_labelled_report()
    {
        torch.set_num_threads(2);
        using var dir = new TempDir();
        var progress = new RecordingProgress();
        EvaluationJobResult result = EvaluationJob.Run(TinyBenchmark.Job(dir.Path), TestPolicies.Random(), progress);

        string[] methods = result.Benchmark.Report.Methods.Select(m => m.Method).ToArray();
        Assert.Equal(
            [BenchmarkMethods.Base, BenchmarkMethods.BioPr, BenchmarkMethods.BioPrFeedback, BenchmarkMethods.Smoothing(result.Benchmark.SmoothingWindow),
             BenchmarkMethods.Pca(6), BenchmarkMethods.ReferenceOnly, BenchmarkMethods.RefineWithoutSimulator, BenchmarkMethods.RefineInterpolatedWithoutSimulator],
            methods);

        // BioPR's input interpolation took the smoothing window chosen on the training split, and the report says so.
        Assert.Contains(result.Benchmark.Report.Notes ?? [], n => n.Contains($"input interpolated over d={result.Benchmark.SmoothingWindow} (the smoothing window chosen", StringComparison.Ordinal));
        Assert.All(result.Benchmark.Report.Methods, m =>
        {
            Assert.Equal(2 * 15, m.Metrics.Frames);
            Assert.True(double.IsFinite(m.Metrics.MpjpeMm) && m.Metrics.MpjpeMm > 0, m.Method);
            Assert.True(double.IsFinite(m.Metrics.AccelerationErrorMm), m.Method);
            Assert.InRange(m.Metrics.Auc, 0, 1);
        });
        Assert.True(result.Benchmark.Report.Synthetic);
        Assert.Contains(ReportWriter.SyntheticBanner, File.ReadAllText(result.Files.Markdown));
        Assert.Contains("SYNTHETIC", File.ReadAllText(result.Files.Html));
        Assert.All(result.Files.Plots, p => Assert.True(new FileInfo(p).Length > 1000, p));
        Assert.Equal(methods.Length * 4, result.Message.Metrics.Length);
        Assert.Equal(0, result.Message.PolicyVersion);
        Assert.Contains(result.Message.Metrics, m => m.Method == BenchmarkMethods.BioPr && m.Name == "MPJPE" && m.Split == "test");
        Assert.True(double.IsFinite(result.Benchmark.Verdict.MpjpeDeltaVsBase));
        Assert.True(result.Benchmark.BioPrFramesPerSecond > 0);
        Assert.Contains(progress.Stages, s => s.StartsWith("BioPR on the training split", StringComparison.Ordinal));
        Assert.Equal(progress.Totals.Sum(), progress.Advanced);
    }

    [Fact]
    public void Nothing_is_tuned_on_the_test_split()
    {
        torch.set_num_threads(2);
        // Same training split, different test splits: the smoothing window and RefineNet's training must not change.
        var kinematics = new HandKinematics(Model);
        BenchmarkData data = SyntheticBenchmarkData.Create(kinematics, TinyBenchmark.Synthetic);
        BenchmarkData other = SyntheticBenchmarkData.Create(kinematics, TinyBenchmark.Synthetic with { Seed = 99 });
        BenchmarkOptions options = TinyBenchmark.Options with { IncludeAblations = false, IncludeFeedback = false };
        BenchmarkResult a = BioPrBenchmark.Run(data, TestPolicies.Random(), options, Model);
        BenchmarkResult b = BioPrBenchmark.Run(data with { Test = other.Test }, TestPolicies.Random(), options, Model);
        Assert.Equal(a.SmoothingWindow, b.SmoothingWindow);
        Assert.Equal(a.RefineHistory, b.RefineHistory);
        Assert.NotEqual(a.Metrics(BenchmarkMethods.Base).MpjpeMm, b.Metrics(BenchmarkMethods.Base).MpjpeMm);
    }

    [Fact]
    public void Synthetic_data_splits_by_seed_and_labels_itself()
    {
        BenchmarkData data = SyntheticBenchmarkData.Create(new HandKinematics(Model), TinyBenchmark.Synthetic);
        Assert.True(data.Synthetic);
        Assert.Equal(4, data.Train.Count);
        Assert.Equal(2, data.Test.Count);
        Assert.All(data.Train.Concat(data.Test), s => Assert.Equal(15, s.Frames));
        Assert.Empty(data.Train.Select(s => s.GroundTruth.Poses[100]).Intersect(data.Test.Select(s => s.GroundTruth.Poses[100])));
        Assert.All(data.Train, s => Assert.NotEqual(s.GroundTruth.Poses, s.Predicted.Poses));
        Assert.Contains(data.Notes, n => n.Contains("SYNTHETIC", StringComparison.Ordinal));
        Assert.Single(data.WithTestLimit(1).Test);
    }

    [Fact]
    public void Bad_dataset_specs_are_named()
    {
        ArgumentException e = Assert.ThrowsAny<ArgumentException>(() => BenchmarkDatasets.Load("dexycb:/nowhere?split=test", Model));
        Assert.Contains("split=test", e.Message);
        Assert.Contains("json", Assert.ThrowsAny<ArgumentException>(() => BenchmarkDatasets.Load("json:/x", Model)).Message);
        Assert.Contains("/nowhere", Assert.ThrowsAny<ArgumentException>(() => BenchmarkDatasets.Load("oakink:/nowhere", Model)).Message);
    }

    private sealed class RecordingProgress : IBenchmarkProgress
    {
        public List<string> Stages { get; } = [];

        public List<long> Totals { get; } = [];

        public long Advanced { get; private set; }

        public void Begin(string stage, long total)
        {
            Stages.Add(stage);
            Totals.Add(total);
        }

        public void Advance(long amount) => Advanced += amount;
    }
}
