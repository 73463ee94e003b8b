using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using MsMano.Cluster.Bootstrap;
using MsMano.Cluster.Options;
using MsMano.Learner.Actors;
using MsMano.Learner.Host;
using MsMano.Learner.Ppo;
using Serilog;

namespace MsMano.Cli.Commands;

/// <summary>
/// `msmano learner`: the learner node process (role <c>learner</c>): PPO on whatever the simulation nodes send,
/// checkpoints (resumed on start), TensorBoard events and an optional JSON status file. Settings: flags, or
/// MSMANO__LEARNER__* / MSMANO__PPO__* / CLUSTER__* / MSMANO__CLUSTER__* variables (deploy/k8s).
/// </summary>
public static class LearnerCommand
{
    public static Command Create()
    {
        var flags = new SimNodeFlags();
        var batch = new Option<int?>("--batch") { Description = "Transitions per PPO update (default 16384)." };
        var checkpoints = new Option<string?>("--checkpoints") { Description = "Checkpoint directory, resumed from on start (default ./checkpoints; empty = none)." };
        var checkpointEvery = new Option<int?>("--checkpoint-every") { Description = "Checkpoint every N updates (default 10; 0 = only on shutdown)." };
        var tensorBoard = new Option<string?>("--tensorboard") { Description = "TensorBoard event directory (default none)." };
        var maxUpdates = new Option<long?>("--max-updates") { Description = "Stop after this many updates in total, then leave and exit (default: run until stopped)." };
        var noTrain = new Option<bool>("--no-train") { Description = "Only receive, validate, ack and count rollouts (transport benchmarks)." };
        var statusFile = new Option<string?>("--status-file") { Description = "Rewrite this JSON file with the learner's counters after every update and tick." };
        var torchThreads = new Option<int?>("--torch-threads") { Description = "TorchSharp intra-op threads (default: TorchSharp's choice)." };
        var command = new Command("learner", "Run the learner node: PPO on IDNet over the rollouts of every simulation node.");
        foreach (Option option in flags.All.Concat([batch, checkpoints, checkpointEvery, tensorBoard, maxUpdates, noTrain, statusFile, torchThreads]))
        {
            command.Options.Add(option);
        }
        // Synchronous: an async System.CommandLine action would be killed 2 s after SIGTERM, before the checkpoint.
        command.SetAction(parse =>
        {
            string section = LearnerSettingsBinder.Section;
            IConfiguration configuration = flags.Configuration(parse,
            [
                new($"{section}:{nameof(LearnerSettings.BatchSize)}", SimNodeFlags.Invariant(parse.GetValue(batch))),
                new($"{section}:{nameof(LearnerSettings.CheckpointDirectory)}", parse.GetValue(checkpoints)),
                new($"{section}:{nameof(LearnerSettings.CheckpointEvery)}", SimNodeFlags.Invariant(parse.GetValue(checkpointEvery))),
                new($"{section}:{nameof(LearnerSettings.TensorBoardDirectory)}", parse.GetValue(tensorBoard)),
                new($"{section}:{nameof(LearnerSettings.MaxUpdates)}", SimNodeFlags.Invariant(parse.GetValue(maxUpdates))),
                new($"{section}:{nameof(LearnerSettings.Train)}", parse.GetValue(noTrain) ? "false" : null),
                new($"{section}:{nameof(LearnerSettings.TorchThreads)}", SimNodeFlags.Invariant(parse.GetValue(torchThreads))),
            ]);
            // The command fixes the role; everything else may come from flags, environment or appsettings.
            ClusterNodeOptions options = ClusterNodeOptionsBinder.Bind(configuration, new ClusterNodeOptions { Roles = [ClusterRoles.Learner] }) with { Roles = [ClusterRoles.Learner] };
            LearnerSettings settings = LearnerSettingsBinder.Bind(configuration);
            SimSourceOptions sources = flags.Sources(parse);
            PpoConfig ppo = LearnerSettingsBinder.BindPpo(configuration, sources.Ppo());
            return RunAsync(options, settings, ppo, parse.GetValue(statusFile), flags, parse).GetAwaiter().GetResult();
        });
        return command;
    }

    private static async Task<int> RunAsync(
        ClusterNodeOptions options, LearnerSettings settings, PpoConfig ppo, string? statusFile, SimNodeFlags flags, ParseResult parse)
    {
        var (parentGone, watch) = flags.ParentWatch(parse);
        using (watch)
        using (var stop = CancellationTokenSource.CreateLinkedTokenSource(parentGone))
        {
            DateTime lastLog = DateTime.MinValue;
            return await ClusterNodeRunner.RunAsync(options, system =>
            {
                LearnerHost.Start(system, settings, ppo);
                LearnerHost.ListenForProgress(system, progress =>
                {
                    if (statusFile is not null)
                    {
                        LearnerStatusFile.From(progress).Write(statusFile);
                    }
                    if (DateTime.UtcNow - lastLog > TimeSpan.FromSeconds(10))
                    {
                        lastLog = DateTime.UtcNow;
                        Log.Information("{Summary}", Summary(progress));
                    }
                    if (progress.Finished && !stop.IsCancellationRequested)
                    {
                        Log.Information("Reached {Updates} updates; leaving the cluster", progress.Status.Updates);
                        stop.Cancel();
                    }
                });
                Log.Information(
                    "Learner: obs {Obs} -> [{Hidden}] -> {Act}, batch {Batch}, checkpoints {Checkpoints}, train {Train}",
                    ppo.ObservationSize, string.Join(",", ppo.Hidden), ppo.ActionSize, settings.BatchSize,
                    settings.CheckpointDirectory ?? "(none)", settings.Train);
            }, stop.Token).ConfigureAwait(false);
        }
    }

    public static string Summary(LearnerProgress p)
    {
        return string.Create(CultureInfo.InvariantCulture,
            $"policy v{p.Status.PolicyVersion}, {p.Status.Updates} updates, reward {p.Status.MeanReward:F3}, {p.Nodes} nodes, " +
            $"{p.Status.TransitionsPerSecond:N0} transitions/s in, learner busy {p.Utilisation:P0}, {p.StaleChunks} stale / {p.RejectedChunks} rejected chunks");
    }
}
