using System.CommandLine;
using MsMano.Biomechanics.Batch;
using MsMano.Biomechanics.Bench;
using MsMano.Biomechanics.Dynamics;
using MsMano.Biomechanics.Model;
using MsMano.Environments.Bench;
using MsMano.Environments.Motion;
using MsMano.Environments.Motion.Generator;
using MsMano.Learning.Bench;
using MsMano.Learning.Training;
using Spectre.Console;

namespace MsMano.Cli.Commands;

/// <summary>`msmano bench`: HandBatch agent-steps per second, scalar vs SIMD vs all cores, measured in one run.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var agents = new Option<int>("--agents") { Description = "Agents per batch.", DefaultValueFactory = _ => 64 };
        var seconds = new Option<double>("--seconds") { Description = "Timed seconds per round.", DefaultValueFactory = _ => 1.0 };
        var rounds = new Option<int>("--rounds") { Description = "Timed rounds per configuration (median reported).", DefaultValueFactory = _ => 3 };
        var training = new Option<bool>("--training") { Description = "Also measure the IDNet environment with inference against the raw simulator, and one PPO update of 16,384 transitions." };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Measure only checkpoint writes of an IDNet-sized learner into this folder, with and without fsync (interleaved, --rounds each)." };
        var command = new Command("bench", "Benchmark the batch simulator: agent-steps/s (one 20 ms control step each).") { agents, seconds, rounds, training, checkpoint };
        command.SetAction(parse =>
        {
            if (parse.GetValue(checkpoint) is string folder)
            {
                return RunCheckpoint(folder, parse.GetValue(rounds));
            }
            int code = Run(parse.GetValue(agents), parse.GetValue(seconds), parse.GetValue(rounds));
            return parse.GetValue(training) ? RunTraining(parse.GetValue(agents), parse.GetValue(seconds), parse.GetValue(rounds)) : code;
        });
        return command;
    }

    public static int Run(int agents, double seconds, int rounds)
    {
        HandModel model = HandModelFile.LoadDefault();
        var plant = new HandPlant(model);
        // The same hand without its skin contacts, measured in the same run: what the contact pass costs.
        var withoutContacts = new HandPlant(model with { Contacts = new ContactSpec() });
        var settings = new SimulationSettings();
        BatchBenchmarkResult result = null!;
        BatchThroughput noContacts = null!;
        PairedThroughput paired = null!;
        AnsiConsole.Status().Start("Measuring HandBatch throughput...", _ =>
        {
            result = HandBatchBenchmark.Run(plant, agents, seconds, rounds, settings: settings);
            // Interleaved with the same hand with contacts, so the ratio is not at the mercy of this host's drift.
            paired = HandBatchBenchmark.MeasurePaired(withoutContacts, plant, agents, seconds, Math.Max(rounds, 5), settings);
            noContacts = new BatchThroughput("SIMD, one core, contacts off", result.SimdOneCore.Width, 1, agents, paired.MedianA, 1e6 / paired.MedianA);
        });
        Table table = new Table().Title($"HandBatch: {agents} agents, control step {settings.ControlStep * 1000:F0} ms = {settings.Substeps} x {settings.TimeStep * 1000:F0} ms, {plant.MuscleCount} muscles, {plant.DofCount} dofs");
        table.AddColumns("configuration", "threads", "agent-steps/s", "us per agent-step (per core)", "vs scalar");
        foreach (BatchThroughput row in new[] { result.Scalar, result.SimdOneCore, result.SimdAllCores, noContacts })
        {
            table.AddRow(row.Name, row.Threads.ToString(), $"{row.AgentStepsPerSecond:N0}", $"{row.MicrosecondsPerAgentStep:F1}",
                $"{row.AgentStepsPerSecond / result.Scalar.AgentStepsPerSecond:F2}x");
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"SIMD speed-up on one core: [bold]{result.SimdSpeedup:F2}x[/]; all {result.SimdAllCores.Threads} cores over one: {result.CoreScaling:F2}x; target 10,000 agent-steps/s: [bold]{(result.SimdAllCores.AgentStepsPerSecond >= 10_000 ? "met" : "NOT met")}[/].");
        AnsiConsole.MarkupLine(FormattableString.Invariant(
            $"Skin contacts ({plant.ContactPairCount} pairs): SIMD on one core runs at [bold]{paired.MedianRatio:F2}x[/] the same hand without them (median of {paired.Rounds} interleaved rounds, range {paired.MinRatio:F2}-{paired.MaxRatio:F2}; with contacts {paired.MedianB:N0} agent-steps/s in those rounds)."));
        return 0;
    }

    /// <summary>What the checkpoint's fsyncs cost: median write time with and without them, as a ratio, in one run.</summary>
    public static int RunCheckpoint(string folder, int rounds)
    {
        string directory = Path.Combine(Path.GetFullPath(folder), $"bench-{Guid.NewGuid():N}");
        try
        {
            CheckpointBenchmarkResult result = null!;
            AnsiConsole.Status().Start($"Writing {2 * rounds} checkpoints...", _ => result = CheckpointBenchmark.Run(IdNetTrainingDefaults.Ppo, directory, rounds));
            AnsiConsole.MarkupLine(FormattableString.Invariant(
                $"Checkpoint ({result.Bytes / 1024.0:N0} KiB, median of {result.Rounds}): with fsync [bold]{result.DurableMedianMs:F1} ms[/], without {result.UnsyncedMedianMs:F1} ms: [bold]{result.Ratio:F2}x[/]."));
            return 0;
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    /// <summary>Environment (+ IDNet inference) vs raw simulator on one core, then a PPO update of 16,384 transitions.</summary>
    public static int RunTraining(int agents, double seconds, int rounds)
    {
        HandModel model = HandModelFile.LoadDefault();
        var plant = new HandPlant(model);
        ReferenceMotion[] motions = new HandMotionGenerator(model).Generate(16, seed: 1).Select(g => g.Motion).ToArray();
        EnvironmentBenchmarkResult env = null!;
        PpoBenchmarkResult ppo = null!;
        AnsiConsole.Status().Start("Measuring the IDNet environment and a PPO update...", _ =>
        {
            env = EnvironmentBenchmark.Run(plant, motions, agents, seconds, rounds);
            ppo = PpoBenchmark.Run(runs: rounds, config: IdNetTrainingDefaults.Ppo);
        });
        Table table = new Table().Title($"Training step cost on one core, {agents} agents (median of {rounds})");
        table.AddColumns("configuration", "agent-steps/s", "vs raw simulator");
        foreach (EnvironmentThroughput row in new[] { env.RawSimulator, env.Environment, env.EnvironmentWithPolicy })
        {
            table.AddRow(row.Name, $"{row.AgentStepsPerSecond:N0}", $"{row.AgentStepsPerSecond / env.RawSimulator.AgentStepsPerSecond:F2}x");
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"PPO update ({ppo.Transitions:N0} transitions, 4 epochs, minibatch 4,096, {ppo.Device}): median [bold]{ppo.MedianSeconds:F2} s[/] ({ppo.TransitionsPerSecond:N0} transitions/s).");
        return 0;
    }
}
