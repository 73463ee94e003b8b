using System.CommandLine;
using System.Diagnostics;
using MsMano.Biomechanics.Batch;
using MsMano.Biomechanics.Dynamics;
using MsMano.Biomechanics.Model;
using Serilog;
using Spectre.Console;

namespace MsMano.Cli.Commands;

/// <summary>`msmano simulate`: steps a batch of hands under random excitations with a progress bar.</summary>
public static class SimulateCommand
{
    public static Command Create()
    {
        var seconds = new Option<double>("--seconds") { Description = "Simulated seconds.", DefaultValueFactory = _ => 2.0 };
        var agents = new Option<int>("--agents") { Description = "Agents in the batch.", DefaultValueFactory = _ => 64 };
        var command = new Command("simulate", "Step a batch of MS-MANO hands under random muscle excitations.") { seconds, agents };
        command.SetAction(parse => Run(parse.GetValue(seconds), parse.GetValue(agents)));
        return command;
    }

    public static int Run(double seconds, int agents)
    {
        var plant = new HandPlant(HandModelFile.LoadDefault());
        var batch = new HandBatch(plant, agents);
        var rng = new Random(1);
        int steps = (int)Math.Ceiling(seconds / batch.Settings.ControlStep);
        Log.Information("Simulating {Agents} hands ({Muscles} muscles, {Dofs} dofs) for {Seconds} s in {Steps} control steps", agents, plant.MuscleCount, plant.DofCount, seconds, steps);
        var clock = Stopwatch.StartNew();
        AnsiConsole.Progress().Start(ctx =>
        {
            ProgressTask task = ctx.AddTask("simulating", maxValue: steps);
            for (int s = 0; s < steps; s++)
            {
                if (s % 10 == 0)
                {
                    for (int m = 0; m < plant.MuscleCount; m++)
                    {
                        foreach (ref float u in batch.Excitations(m))
                        {
                            u = rng.NextSingle();
                        }
                    }
                }
                batch.Step();
                task.Increment(1);
            }
        });
        Log.Information("{AgentSteps:N0} agent-steps in {Elapsed:F2} s ({Rate:N0} agent-steps/s); state finite: {Finite}",
            (long)steps * agents, clock.Elapsed.TotalSeconds, steps * (double)agents / clock.Elapsed.TotalSeconds, batch.AllFinite());
        Log.Information("Training (IDNet/PPO) and the in-process cluster arrive with issues 3 and 4; see README.");
        return batch.AllFinite() ? 0 : 1;
    }
}
