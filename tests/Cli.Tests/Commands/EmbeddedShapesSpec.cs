using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Biomechanics.Model;
using MsMano.Cli.Commands;
using MsMano.Cluster.Evaluation;
using MsMano.TestSupport;
using MsMano.TestSupport.Formats;

namespace MsMano.Cli.Tests.Commands;

/// <summary>
/// `embedded --mano M --shape-spread σ` end to end at a tiny size: the simulation actors train on hands drawn from the
/// spread, and the evaluation side gets the same MANO file and spread, so BioPR simulates the synthetic benchmark's
/// subjects (β from the same distribution) each on its own MS-MANO hand and the report names each subject's hand.
/// </summary>
[Collection(LearnerNodeSpec.Name)]
public sealed class EmbeddedShapesSpec : IDisposable
{
    private readonly TempDir _directory = new();

    [Fact]
    public void Embedded_with_a_MANO_file_and_a_shape_spread_evaluates_each_synthetic_subject_on_its_own_hand()
    {
        string mano = _directory.File("mano.npz");
        HandModel model = HandModelFile.LoadDefault();
        NpzWriter.Write(mano, new ManoFixture(12, model.Joints.Select(j => Vec3.From(j.Position)).ToArray()).DenseArrays(), compressed: false);
        var options = new EmbeddedOptions
        {
            SimNodes = 1,
            AgentsPerActor = 8,
            BatchSize = 256,
            Duration = TimeSpan.FromMinutes(5),
            MaxUpdates = 1,
            OutputDirectory = _directory.Path,
            Sources = new MsMano.Cluster.Simulation.SimSourceOptions { ManoModelPath = mano, ShapeSpread = 0.5 },
            Dashboard = new MsMano.Dashboard.Hosting.DashboardSettings { Enabled = false },
        };

        // Bound as the command binds it: the training's MANO file and spread carry over to the evaluation.
        EvaluationSettings evaluation = EvaluationFlags.Bind(SimNodeFlags.Build([]), options.Sources, Path.Combine(_directory.Path, "evaluation"), mainJob: true);
        Assert.Equal(mano, evaluation.ManoModel);
        Assert.Equal(0.5, evaluation.ShapeSpread);
        evaluation = evaluation with { MaxTestSequences = 2, RefineIterations = 5, SyntheticTrainSequences = 4, Timeout = TimeSpan.FromMinutes(5) };

        Assert.Equal(0, EmbeddedCommand.Run(options with { Evaluation = evaluation }));

        string report = File.ReadAllText(Assert.Single(Directory.GetFiles(Path.Combine(_directory.Path, "evaluation"), "report.md", SearchOption.AllDirectories)));
        Assert.Contains("Subject shapes (each subject's MS-MANO hand", report);
        Assert.Contains("synthetic-subject-00", report);
        Assert.Contains("synthetic-subject-01", report);
        Assert.Contains("beta_k ~ N(0, 0.5^2)", report);
    }

    [Fact]
    public void An_evaluation_shape_spread_without_a_MANO_file_is_refused_with_one_line()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => new EvaluationSettings { ShapeSpread = 1.0 }.Validate());
        Assert.Contains("ShapeSpread = '1' is invalid: needs a MANO file", e.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();
}
