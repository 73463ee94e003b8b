using MsMano.Cli.Commands;
using MsMano.Cluster.Evaluation;

namespace MsMano.Cli.Tests.Commands;

/// <summary>
/// The README's main command end to end at a tiny size: the embedded cluster (learner + one simulation node over
/// loopback TCP) trains IDNet on the real hand environment for one update, then the in-cluster evaluation actor trains
/// RefineNet, scores the synthetic dataset and the run prints its report. The command binds evaluation at the end of
/// the run by default, so the 5-minute default (which does not converge) ends with scores too.
/// </summary>
[Collection(LearnerNodeSpec.Name)]
public sealed class MainJobPipelineSpec : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"msmano-mainjob-{Guid.NewGuid():N}");

    [Fact]
    public void The_main_job_trains_then_the_evaluation_actor_scores_the_last_policy_by_default()
    {
        var options = new EmbeddedOptions
        {
            SimNodes = 1,
            AgentsPerActor = 8,
            BatchSize = 256,
            // One update, so the run ends however loaded the machine (a short time budget can pass before the first
            // update); the 5-minute guard only bounds the test.
            Duration = TimeSpan.FromMinutes(5),
            MaxUpdates = 1,
            OutputDirectory = _directory,
            // Off: other tests start clusters at the same time, and the default port is one per machine.
            Dashboard = new MsMano.Dashboard.Hosting.DashboardSettings { Enabled = false },
        };
        EvaluationSettings evaluation = SmallEvaluation(options, TimeSpan.FromMinutes(5));
        Assert.True(evaluation.Enabled && evaluation.AtEnd);
        // The first-try run leaves the ablation rows (two more RefineNet trainings) to --eval-ablations and `evaluate`.
        Assert.False(evaluation.Ablations);

        Assert.Equal(0, EmbeddedCommand.Run(options with { Evaluation = evaluation }));

        string[] reports = Directory.GetFiles(Path.Combine(_directory, "evaluation"), "report.md", SearchOption.AllDirectories);
        string report = Assert.Single(reports);
        string text = File.ReadAllText(report);
        Assert.Contains("BioPR", text);
        Assert.Contains("MPJPE", text);
        Assert.DoesNotContain("Ablation:", text);
    }

    [Fact]
    public void A_data_parallel_main_job_ended_by_its_time_budget_still_scores_the_last_policy()
    {
        // Ended by time, a data-parallel run stops in the middle of a round, and the trainers (the sim nodes) leave
        // before the evaluation: unless the last round is finished and checkpointed first, no node publishes the
        // final weights and the evaluation waits for them until it times out.
        var options = new EmbeddedOptions
        {
            SimNodes = 2,
            AgentsPerActor = 8,
            // Rounds of a second or so: about 20-30 in the budget, short of the reward-plateau test (100 updates) and
            // rarely ending on a checkpoint round (every 10th), which would hide the missing final checkpoint.
            BatchSize = 4096,
            Duration = TimeSpan.FromSeconds(45),
            Learning = MsMano.Cluster.Learner.LearningMode.DataParallel,
            OutputDirectory = _directory,
            Dashboard = new MsMano.Dashboard.Hosting.DashboardSettings { Enabled = false },
        };
        EvaluationSettings evaluation = SmallEvaluation(options, TimeSpan.FromMinutes(3));

        Assert.Equal(0, EmbeddedCommand.Run(options with { Evaluation = evaluation }));

        string report = Assert.Single(Directory.GetFiles(Path.Combine(_directory, "evaluation"), "report.md", SearchOption.AllDirectories));
        Assert.Contains("MPJPE", File.ReadAllText(report));
        // The policy scored is the group's last state, and it is on disk: the checkpoint taken before the trainers left.
        string scored = Path.GetFileName(Path.GetDirectoryName(report)!);
        string latest = File.ReadAllText(Path.Combine(_directory, "checkpoints", "LATEST")).Trim();
        Assert.Equal(scored, "v" + long.Parse(latest["ckpt-".Length..], System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    // Defaults as the command binds them (evaluation at the end included), then shrunk to seconds.
    private EvaluationSettings SmallEvaluation(EmbeddedOptions options, TimeSpan timeout) =>
        EvaluationFlags.Bind(SimNodeFlags.Build([]), options.Sources, Path.Combine(_directory, "evaluation"), mainJob: true)
            with { MaxTestSequences = 1, RefineIterations = 5, SyntheticTrainSequences = 4, Timeout = timeout };

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
