using System.CommandLine;
using System.Globalization;
using MsMano.Biomechanics.Dynamics;
using MsMano.Biomechanics.Mano;
using MsMano.Biomechanics.Model;
using MsMano.Biomechanics.Shape;
using MsMano.Contracts.Policy;
using MsMano.Environments.IdNet;
using MsMano.Environments.Motion;
using MsMano.Evaluation.Datasets.MotionSources;
using MsMano.Learning.Ppo;
using MsMano.Learning.Training;
using MsMano.ModelFormats.Mano;
using Serilog;
using Spectre.Console;

namespace MsMano.Cli.Commands;

/// <summary>
/// `msmano train`: IDNet with PPO in one process (no cluster): parallel simulation batches, synchronous updates,
/// checkpoints, TensorBoard events, the exported policy, a reward-curve PNG and a held-out tracking report.
/// </summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var minutes = new Option<double?>("--minutes") { Description = "Wall-clock budget in minutes (default 15 unless --updates is given)." };
        var updates = new Option<int?>("--updates") { Description = "Stop after this many PPO updates." };
        var output = new Option<string>("--out") { Description = "Run directory (checkpoints, tensorboard/, idnet-policy.msgpack, PNG, report).", DefaultValueFactory = _ => "runs/idnet" };
        var motion = new Option<string>("--motion") { Description = "Training motion spec: synthetic[:clips=..,seconds=..,seed=..], json:<path>, csv:<path>, dexycb:<root>, oakink:<root>.", DefaultValueFactory = _ => "synthetic:clips=256,seed=1" };
        var heldOut = new Option<string>("--held-out") { Description = "Held-out motion spec for the tracking test.", DefaultValueFactory = _ => "synthetic:clips=32,seed=9001" };
        var mano = new Option<string?>("--mano") { Description = "MANO_RIGHT.pkl, needed for DexYCB poses (PCA basis)." };
        var sources = new Option<int>("--sources") { Description = "Simulation batches stepped in parallel.", DefaultValueFactory = _ => Math.Max(1, System.Environment.ProcessorCount) };
        var agents = new Option<int>("--agents") { Description = "Agents per batch.", DefaultValueFactory = _ => 64 };
        var batch = new Option<int>("--batch") { Description = "Transitions per PPO update.", DefaultValueFactory = _ => 16_384 };
        var rewardWeight = new Option<double>("--reward-weight") { Description = "w in exp(-w ||tau_pd - tau_m||) (per N m).", DefaultValueFactory = _ => new IdNetEnvironmentOptions().RewardWeight };
        var noWrist = new Option<bool>("--no-wrist") { Description = "180-number observation (no wrist) instead of the paper's 192." };
        var fresh = new Option<bool>("--fresh") { Description = "Ignore an existing checkpoint in --out and start over." };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the environments and the learner.", DefaultValueFactory = _ => 1UL };
        Option<bool> clampPoses = PoseFlags.ClampPoses();
        Option<double> shapeSpread = ShapeSpreadFlag.Create();
        var torchThreads = new Option<int?>("--torch-threads") { Description = "TorchSharp intra-op threads of the PPO update (default: TorchSharp's choice)." };
        var command = new Command("train", "Train IDNet (muscle inverse dynamics) with PPO in one process.")
        {
            minutes, updates, output, motion, heldOut, mano, sources, agents, batch, rewardWeight, noWrist, fresh, seed, clampPoses, shapeSpread, torchThreads,
        };
        command.SetAction(parse =>
        {
            int? maxUpdates = parse.GetValue(updates);
            double? budget = parse.GetValue(minutes) ?? (maxUpdates is null ? 15.0 : null);
            var training = new TrainingOptions
            {
                Sources = parse.GetValue(sources),
                AgentsPerSource = parse.GetValue(agents),
                BatchSize = parse.GetValue(batch),
                Duration = budget is double m ? TimeSpan.FromMinutes(m) : null,
                MaxUpdates = maxUpdates,
                OutputDirectory = parse.GetValue(output)!,
                Resume = !parse.GetValue(fresh),
                Seed = parse.GetValue(seed),
            };
            var environment = new IdNetEnvironmentOptions { RewardWeight = parse.GetValue(rewardWeight), IncludeWrist = !parse.GetValue(noWrist) };
            var catalog = new MotionCatalogOptions { ManoModelPath = parse.GetValue(mano), OutOfRangePoses = PoseFlags.OutOfRange(parse, clampPoses) };
            ShapeSpread spread = new ShapeSpread(parse.GetValue(shapeSpread)).Validate();
            if (parse.GetValue(torchThreads) is int threads)
            {
                if (threads < 1)
                {
                    throw new ArgumentException($"--torch-threads is {threads}; give at least 1.");
                }
                TorchSharp.torch.set_num_threads(threads);
            }
            return Run(training, environment, parse.GetValue(motion)!, parse.GetValue(heldOut)!, catalog, spread);
        });
        return command;
    }

    public static int Run(TrainingOptions training, IdNetEnvironmentOptions environment, string motionSpec, string heldOutSpec, MotionCatalogOptions catalog,
        ShapeSpread? spread = null)
    {
        HandModel model = HandModelFile.LoadDefault();
        var plant = new HandPlant(model);
        Func<int, HandPlant>? plantForSource = ShapePlants(spread ?? ShapeSpread.Off, model, catalog.ManoModelPath, training.Seed);
        catalog = catalog with { Model = model };
        IReadOnlyList<ReferenceMotion> motions = MotionCatalog.Load(motionSpec, catalog);
        IReadOnlyList<ReferenceMotion> heldOut = MotionCatalog.Load(heldOutSpec, catalog);
        Log.Information("Training on {Count} clips from {Spec}; held out: {HeldOut} clips from {HeldOutSpec}", motions.Count, motionSpec, heldOut.Count, heldOutSpec);

        PpoConfig ppo = IdNetTrainingDefaults.Ppo with { Seed = (int)(training.Seed % int.MaxValue) };
        using var trainer = new IdNetTrainer(plant, motions, training, environment, ppo, plantForSource);
        Log.Information(
            "IDNet: obs {Obs} -> 256 -> 256 -> {Act}; {Sources} batches x {Agents} agents x {Steps} steps = {Batch:N0} transitions per update; device {Device}",
            environment.ObservationSize, IdNetEnvironmentOptions.ActionSize, training.Sources, training.AgentsPerSource, training.StepsPerCollect,
            training.Sources * training.AgentsPerSource * training.StepsPerCollect, trainer.Learner.Device);

        // First SIGINT/SIGTERM: finish the update in flight, checkpoint, exit (the held-out test is skipped).
        using var signals = Cluster.Shutdown.StopSignals.Register("stopping after the current update and checkpointing");
        TrainLoop(trainer, training, signals.Token);
        string checkpoint = trainer.Checkpoint();
        Log.Information("Checkpoint {Checkpoint}; policy {Policy}", checkpoint, trainer.PolicyPath);
        if (signals.IsCancellationRequested)
        {
            return 0;
        }

        string curve = Path.Combine(training.OutputDirectory, "reward-curve.png");
        TrainingCurvePlot.Save(trainer.History, curve, $"IDNet PPO: {motionSpec}, {training.Sources}x{training.AgentsPerSource} agents, batch {training.BatchSize:N0}");
        PolicySnapshot policy = trainer.Learner.ExportPolicy();
        var results = new List<TrackingResult>();
        AnsiConsole.Status().Start("Held-out tracking test (PD off, muscles drive)...", _ =>
        {
            foreach (bool reset in new[] { false, true })
            {
                foreach (TrackingController controller in new[] { TrackingController.Policy, TrackingController.Zero, TrackingController.Random })
                {
                    results.Add(TrackingEvaluation.Run(plant, heldOut, controller, policy, environment, resetEachStep: reset));
                }
            }
        });
        string report = Path.Combine(training.OutputDirectory, "train-report.md");
        File.WriteAllText(report, Report(trainer, training, motionSpec, heldOutSpec, results, spread ?? ShapeSpread.Off));
        PrintSummary(trainer, results);
        Log.Information("Wrote {Curve} and {Report}", curve, report);
        return 0;
    }

    /// <summary>With a spread, batch k simulates its own hand drawn from the stated β distribution (seeded by --seed and k).</summary>
    public static Func<int, HandPlant>? ShapePlants(ShapeSpread spread, HandModel model, string? manoPath, ulong seed)
    {
        if (!spread.IsOn)
        {
            return null;
        }
        if (string.IsNullOrWhiteSpace(manoPath))
        {
            throw new ArgumentException("--shape-spread needs --mano <MANO_RIGHT.pkl>: beta act through MANO's shape blend shapes and joint regressor, which are licensed and never shipped.");
        }
        ManoModel mano = ManoModelFile.Load(manoPath);
        return k =>
        {
            HandModel hand = spread.Hand(model, mano, (seed * 1000 + (ulong)k) ^ 0x5348415045UL, out double[] betas);
            Log.Information("Batch {Batch}: hand on MANO beta [{Betas}] drawn from {Distribution}",
                k, string.Join(", ", betas.Select(b => b.ToString("F2", CultureInfo.InvariantCulture))), spread.Distribution);
            return new HandPlant(hand);
        };
    }

    private static void TrainLoop(IdNetTrainer trainer, TrainingOptions training, CancellationToken cancel)
    {
        long updates = 0;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                double total = training.MaxUpdates ?? training.Duration!.Value.TotalSeconds;
                ProgressTask task = ctx.AddTask("IDNet PPO", maxValue: total);
                DateTime start = DateTime.UtcNow;
                while (!trainer.Done(updates) && !cancel.IsCancellationRequested)
                {
                    TrainingRecord r = trainer.Step();
                    updates++;
                    double progress = training.MaxUpdates is int max
                        ? Math.Max(updates, training.Duration is TimeSpan d ? (DateTime.UtcNow - start).TotalSeconds / d.TotalSeconds * max : 0)
                        : (DateTime.UtcNow - start).TotalSeconds;
                    task.Value = Math.Min(total, progress);
                    task.Description = string.Create(CultureInfo.InvariantCulture,
                        $"update {r.Update} reward {r.MeanReward:F3} gap {r.MeanTorqueGap:F2} N m, {r.Transitions / 1e6:F2} M steps");
                }
                task.Value = total;
            });
    }

    private static void PrintSummary(IdNetTrainer trainer, IReadOnlyList<TrackingResult> results)
    {
        IReadOnlyList<TrainingRecord> h = trainer.History;
        Table table = new Table().Title("IDNet training");
        table.AddColumns("", "value");
        if (h.Count > 0)
        {
            table.AddRow("updates / transitions", $"{h[^1].Update} / {h[^1].Transitions:N0}");
            table.AddRow("mean reward: first update -> last 10", $"{h[0].MeanReward:F3} -> {Tail(h, r => r.MeanReward):F3}");
            table.AddRow("torque gap (N m): first -> last 10", $"{h[0].MeanTorqueGap:F3} -> {Tail(h, r => r.MeanTorqueGap):F3}");
            table.AddRow("wall time", $"{h[^1].ElapsedSeconds / 60:F1} min");
        }
        foreach (TrackingResult r in results)
        {
            table.AddRow($"held-out {(r.ResetEachStep ? "one-step" : "1 s open-loop")} tracking, {r.Controller}", $"{r.MeanRmsDegrees:F3} deg RMS (final step {r.FinalRmsDegrees:F3})");
        }
        AnsiConsole.Write(table);
    }

    private static double Tail(IReadOnlyList<TrainingRecord> h, Func<TrainingRecord, double> f) =>
        h.Skip(Math.Max(0, h.Count - 10)).Average(f);

    private static string Report(IdNetTrainer trainer, TrainingOptions training, string motionSpec, string heldOutSpec, IReadOnlyList<TrackingResult> results, ShapeSpread spread)
    {
        IReadOnlyList<TrainingRecord> h = trainer.History;
        CultureInfo inv = CultureInfo.InvariantCulture;
        var lines = new List<string>
        {
            "# IDNet training report",
            "",
            $"- motion: `{motionSpec}`; held out: `{heldOutSpec}`",
            $"- layout: {training.Sources} batches x {training.AgentsPerSource} agents x {training.StepsPerCollect} steps per update; machine: {System.Environment.ProcessorCount} cores",
            $"- resumed from a checkpoint: {trainer.Resumed}",
            $"- hand shapes: {spread.Distribution}{(spread.IsOn ? " (one draw per batch; the held-out test runs the shipped hand)" : "")}",
        };
        if (h.Count > 0)
        {
            lines.Add(string.Create(inv, $"- updates: {h[^1].Update}; transitions: {h[^1].Transitions:N0}; wall time {h[^1].ElapsedSeconds / 60:F1} min"));
            lines.Add(string.Create(inv, $"- mean reward: first update {h[0].MeanReward:F4}, mean of the last 10 updates {Tail(h, r => r.MeanReward):F4}"));
            lines.Add(string.Create(inv, $"- torque gap ||tau_pd - tau_m|| (N m): first {h[0].MeanTorqueGap:F3}, last 10 {Tail(h, r => r.MeanTorqueGap):F3}"));
            lines.Add(string.Create(inv, $"- throughput: {h[^1].Transitions / h[^1].ElapsedSeconds:N0} transitions/s including updates"));
        }
        lines.Add("");
        lines.Add("## Held-out tracking (PD off, muscles drive; RMS joint-angle error over 45 dofs, mean over steps and agents)");
        lines.Add("");
        lines.Add("Open loop: each agent starts on the reference and the muscles drive for 1 s. One step: every agent is put back");
        lines.Add("on the reference before each 20 ms step (how BioPR uses IDNet).");
        lines.Add("");
        lines.Add("| protocol | controller | mean RMS error (deg) | at the last step (deg) | agents x steps |");
        lines.Add("|---|---|---|---|---|");
        foreach (TrackingResult r in results)
        {
            lines.Add(string.Create(inv, $"| {(r.ResetEachStep ? "one step" : "open loop")} | {r.Controller} | {r.MeanRmsDegrees:F3} | {r.FinalRmsDegrees:F3} | {r.Agents} x {r.Steps} |"));
        }
        lines.Add("");
        lines.Add("![reward curve](reward-curve.png)");
        return string.Join('\n', lines) + "\n";
    }
}
