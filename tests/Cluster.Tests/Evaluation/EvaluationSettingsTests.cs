using Microsoft.Extensions.Configuration;
using MsMano.Cluster.Evaluation;
using MsMano.Cluster.Options;
using MsMano.Contracts.Evaluation;
using MsMano.Evaluation.Benchmark;
using MsMano.Evaluation.Reports;
using ClusterReport = MsMano.Contracts.Evaluation.EvaluationReport;

namespace MsMano.Cluster.Tests.Evaluation;

public sealed class EvaluationSettingsTests
{
    private static IConfiguration Environment(params (string Name, string Value)[] variables)
    {
        return MsMano.Cluster.Settings.SettingsConfiguration.FromCommandLine([], variables.ToDictionary(v => v.Name, v => v.Value));
    }

    [Fact]
    public void Settings_bind_from_environment_variables_onto_the_actor_s_job()
    {
        EvaluationSettings settings = EvaluationSettingsBinder.Bind(Environment(
            ("MSMANO__EVALUATION__ENABLED", "on"),
            ("MSMANO__EVALUATION__ONCONVERGENCE", "false"),
            ("MSMANO__EVALUATION__DATASET", "oakink:/data/oakink"),
            ("MSMANO__EVALUATION__OUTPUTDIRECTORY", "/runs/eval"),
            ("MSMANO__EVALUATION__MAXTESTSEQUENCES", "4"),
            ("MSMANO__EVALUATION__REFINEITERATIONS", "50"),
            ("MSMANO__EVALUATION__SYNTHETICTRAINSEQUENCES", "8"),
            ("MSMANO__EVALUATION__MANOMODEL", "/licensed/MANO_RIGHT.pkl"),
            ("MSMANO__EVALUATION__SHAPESPREAD", "0.75"),
            ("MSMANO__EVALUATION__ABLATIONS", "false"),
            ("MSMANO__EVALUATION__TIMEOUT", "90s")));

        EvaluationActorSettings actor = settings.ToActorSettings();
        Assert.False(actor.EvaluateOnConvergence);
        Assert.True(actor.FolderPerVersion);
        Assert.Equal(("oakink:/data/oakink", "/runs/eval"), (actor.Job.Dataset, actor.Job.OutputDirectory));
        Assert.Equal((4, 50, 8), (actor.Job.Benchmark.MaxTestSequences, actor.Job.Benchmark.Refine.Iterations, actor.Job.Synthetic.TrainSequences));
        Assert.Equal(TimeSpan.FromSeconds(90), settings.Timeout);
        // The synthetic subjects' beta come from the training's shape distribution, acting through the MANO file.
        Assert.Equal(("/licensed/MANO_RIGHT.pkl", 0.75), (actor.Job.ManoModelPath, actor.Job.Synthetic.ShapeSpread));
        Assert.False(actor.Job.Benchmark.IncludeAblations);
        // What the key leaves alone keeps the benchmark's defaults.
        Assert.Equal(new BenchmarkOptions().Refine.BatchSize, actor.Job.Benchmark.Refine.BatchSize);
    }

    [Fact]
    public void Defaults_score_the_full_synthetic_benchmark_into_the_cluster_run_folder()
    {
        EvaluationSettings settings = EvaluationSettingsBinder.Bind(Environment());

        Assert.Equal((true, true, false, true), (settings.Enabled, settings.OnConvergence, settings.AtEnd, settings.ToActorSettings().Job.Benchmark.IncludeAblations));
        Assert.Equal(("synthetic", "runs/cluster/evaluation", 0, 4500), (settings.Dataset, settings.OutputDirectory, settings.MaxTestSequences, settings.RefineIterations));
    }

    [Theory]
    [InlineData("MSMANO__EVALUATION__DATASET", "json:/poses.json", "Dataset")]
    [InlineData("MSMANO__EVALUATION__DATASET", "mnist", "mnist")]
    [InlineData("MSMANO__EVALUATION__REFINEITERATIONS", "0", "RefineIterations")]
    [InlineData("MSMANO__EVALUATION__MAXTESTSEQUENCES", "-1", "MaxTestSequences")]
    [InlineData("MSMANO__EVALUATION__ENABLED", "maybe", "MsMano:Evaluation:Enabled")]
    [InlineData("MSMANO__EVALUATION__SHAPESPREAD", "4", "ShapeSpread")]
    [InlineData("MSMANO__EVALUATION__SHAPESPREAD", "1", "needs a MANO file")]
    public void A_bad_value_is_refused_naming_the_setting(string name, string value, string expected)
    {
        Exception ex = Assert.ThrowsAny<Exception>(() => EvaluationSettingsBinder.Bind(Environment((name, value))));
        Assert.Contains(expected, ex.Message);
    }

    [Theory]
    [InlineData("MSMANO__EVALUATION__REFINEITERATIONS", true)]
    [InlineData("MSMANO__EVALUATION__ITERATIONS", false)]
    [InlineData("MSMANO__LEARNER__ENABLED", false)]
    public void Environment_names_are_recognised_exactly(string name, bool known)
    {
        Assert.Equal(known, EvaluationSettingsBinder.IsKnownEnvironmentVariable(name));
    }

    [Fact]
    public void The_headline_gives_BioPR_against_the_base_from_the_wire_report()
    {
        var report = new ClusterReport("t", 7,
        [
            new EvaluationMetric(BenchmarkMethods.Base, "test", "MPJPE", 12.345, "mm"),
            new EvaluationMetric(BenchmarkMethods.Base, "test", "AE", 3.0, "mm/frame^2"),
            new EvaluationMetric(BenchmarkMethods.BioPr, "test", "MPJPE", 9.5, "mm"),
            new EvaluationMetric(BenchmarkMethods.BioPr, "test", "AE", 1.25, "mm/frame^2"),
        ], null);

        Assert.Equal("policy v7 on test: BioPR MPJPE 9.50 mm (base 12.35), AE 1.25 mm/frame^2 (base 3.00)", ReportHeadline.Describe(report));
        Assert.Contains("no BioPR row", ReportHeadline.Describe(report with { Metrics = [] }));
    }
}
