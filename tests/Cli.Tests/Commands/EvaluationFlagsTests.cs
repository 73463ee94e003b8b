using System.CommandLine;
using MsMano.Cli.Commands;
using MsMano.Cluster.Evaluation;
using MsMano.Cluster.Simulation;

namespace MsMano.Cli.Tests.Commands;

public sealed class EvaluationFlagsTests
{
    private static EvaluationSettings Bind(string environment, params string[] args)
    {
        var flags = new EvaluationFlags();
        var command = new Command("test");
        foreach (Option option in flags.All)
        {
            command.Options.Add(option);
        }
        ParseResult parse = command.Parse(args);
        Assert.Empty(parse.Errors);
        return EvaluationFlags.Bind(SimNodeFlags.Build(flags.Entries(parse)), new SimSourceOptions { Environment = environment }, "runs/x/evaluation");
    }

    [Fact]
    public void Evaluation_is_on_by_default_for_the_hand_and_off_for_the_synthetic_task()
    {
        EvaluationSettings idnet = Bind(SimSourceOptions.IdNet);
        Assert.Equal((true, true, false, "synthetic", "runs/x/evaluation"), (idnet.Enabled, idnet.OnConvergence, idnet.AtEnd, idnet.Dataset, idnet.OutputDirectory));
        Assert.False(Bind(SimSourceOptions.Synthetic).Enabled);
    }

    [Fact]
    public void Flags_set_the_evaluation_keys()
    {
        EvaluationSettings settings = Bind(SimSourceOptions.IdNet, "--evaluate-at-end", "--eval-dataset", "dexycb:/data/dexycb", "--eval-iterations", "200", "--eval-max-test", "8");
        Assert.Equal((true, true, "dexycb:/data/dexycb", 200, 8), (settings.Enabled, settings.AtEnd, settings.Dataset, settings.RefineIterations, settings.MaxTestSequences));
        Assert.False(Bind(SimSourceOptions.IdNet, "--no-evaluate").Enabled);
    }

    [Fact]
    public void Contradictions_and_evaluating_the_synthetic_task_are_refused()
    {
        Assert.Contains("--no-evaluate", Assert.Throws<ArgumentException>(() => Bind(SimSourceOptions.IdNet, "--no-evaluate", "--evaluate-at-end")).Message);
        Assert.Contains("--env idnet", Assert.Throws<ArgumentException>(() => Bind(SimSourceOptions.Synthetic, "--evaluate")).Message);
    }
}
