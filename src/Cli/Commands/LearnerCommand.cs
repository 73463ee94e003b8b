using System.CommandLine;
using System.Globalization;
using Akka.Actor;
using Microsoft.Extensions.Configuration;
using MsMano.Cluster.Bootstrap;
using MsMano.Cluster.Evaluation;
using MsMano.Cluster.Learner;
using MsMano.Cluster.Options;
using MsMano.Cluster.Simulation;
using MsMano.Learning.Ppo;
using Serilog;

namespace MsMano.Cli.Commands;

/// <summary>
/// `msmano learner`: the learner node process (role <c>learner</c>): PPO on whatever the simulation nodes send,
/// checkpoints (resumed on start), TensorBoard events and an optional JSON status file, and (with --env idnet, unless
/// --no-evaluate) the evaluation actor at /user/evaluation. When training ends (update budget or reward plateau) the
/// node waits for the final policy's evaluation report; after an update budget it then leaves and exits, after a
/// plateau it stays up with rollouts paused, since an exit would make its StatefulSet restart it into another round. Settings: flags, or
/// MSMANO__LEARNER__* / MSMANO__PPO__* / MSMANO__EVALUATION__* / CLUSTER__* / MSMANO__CLUSTER__* variables (deploy/k8s).
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
        var evaluation = new EvaluationFlags();
        var dashboard = new DashboardFlags("0.0.0.0", "clips");
        var command = new Command("learner", "Run the learner node: PPO on IDNet over the rollouts of every simulation node.");
        foreach (Option option in flags.All.Concat([batch, checkpoints, checkpointEvery, tensorBoard, maxUpdates, noTrain, statusFile, torchThreads]).Concat(evaluation.All).Concat(dashboard.All))
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
                .. evaluation.Entries(parse),
            ]);
            // The command fixes the role; everything else may come from flags, environment or appsettings.
            ClusterNodeOptions options = ClusterNodeOptionsBinder.Bind(configuration, new ClusterNodeOptions { Roles = [ClusterRoles.Learner] }) with { Roles = [ClusterRoles.Learner] };
            SimSourceOptions sources = flags.Sources(parse);
            LearnerSettings settings = LearnerSettingsBinder.Bind(configuration) with { RolloutBounds = sources.Bounds() };
            PpoConfig ppo = LearnerSettingsBinder.BindPpo(configuration, sources.Ppo());
            EvaluationSettings evaluationSettings = EvaluationFlags.Bind(configuration, sources);
            LearningMode learning = SimNodeFlags.LearningMode(configuration);
            return RunAsync(options, settings, ppo, learning, evaluationSettings, parse.GetValue(statusFile), flags, parse, dashboard.Bind(parse, configuration)).GetAwaiter().GetResult();
        });
        return command;
    }

    private static async Task<int> RunAsync(
        ClusterNodeOptions options, LearnerSettings settings, PpoConfig ppo, LearningMode learning, EvaluationSettings evaluation, string? statusFile, SimNodeFlags flags, ParseResult parse,
        Dashboard.Hosting.DashboardSettings dashboard)
    {
        (CancellationToken parentGone, IDisposable? watch) = flags.ParentWatch(parse);
        using (watch)
        using (var stop = CancellationTokenSource.CreateLinkedTokenSource(parentGone))
        {
            DateTime lastLog = DateTime.MinValue;
            bool finishing = false;
            return await ClusterNodeRunner.RunAsync(options, system =>
            {
                var node = LearnerNode.Start(system, settings, ppo, evaluation, learning);
                Log.Information("Learning: {Learning}", learning.Name());
                // Stopped by coordinated shutdown with the node.
                _ = DashboardNode.StartAsync(system, dashboard, evaluation.Enabled).GetAwaiter().GetResult();
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
                    if (progress.Finished && !finishing)
                    {
                        // Off the listener's thread: the wait for the report may take minutes.
                        finishing = true;
                        bool budgetSpent = settings.MaxUpdates > 0 && progress.Status.Updates >= settings.MaxUpdates;
                        _ = FinishAsync(system, node, progress, budgetSpent ? stop : null);
                    }
                });
                Log.Information(
                    "Learner: obs {Obs} -> [{Hidden}] -> {Act}, batch {Batch}, checkpoints {Checkpoints}, train {Train}",
                    ppo.ObservationSize, string.Join(",", ppo.Hidden), ppo.ActionSize, settings.BatchSize,
                    settings.CheckpointDirectory ?? "(none)", settings.Train);
            }, stop.Token).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Training has ended: wait for the final policy's report (if one is due), then leave the cluster when
    /// <paramref name="leave"/> is given (an update budget was spent), or stay up idle (a plateau).
    /// </summary>
    private static async Task FinishAsync(ActorSystem system, LearnerNode node, LearnerProgress progress, CancellationTokenSource? leave)
    {
        Log.Information("Training ended after {Updates} updates at policy v{Version}", progress.Status.Updates, progress.Status.PolicyVersion);
        Task<EndOfRunEvaluation> evaluation = node.FinishEvaluationAsync(progress.Status, leave?.Token ?? CancellationToken.None);
        if (await Task.WhenAny(evaluation, system.WhenTerminated).ConfigureAwait(false) != evaluation)
        {
            // Stopped meanwhile (SIGTERM, parent gone): the node has left and cancelled the job; nothing to report.
            return;
        }
        EndOfRunEvaluation evaluated = await evaluation.ConfigureAwait(false);
        if (evaluated.MarkdownPath is { } path)
        {
            Log.Information("Evaluation report: {Path} ({Headline})", path, evaluated.Note);
        }
        else
        {
            Log.Information("Evaluation: {Note}", evaluated.Note);
        }
        if (leave is null)
        {
            Log.Information("Converged: the learner stays up with the final policy and rollouts paused (RequestEvaluation still works); stop it with SIGTERM or scale it down");
            return;
        }
        Log.Information("Leaving the cluster");
        try
        {
            leave.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The node terminated on its own between the check above and here: it has already left.
        }
    }

    public static string Summary(LearnerProgress p)
    {
        return string.Create(CultureInfo.InvariantCulture,
            $"policy v{p.Status.PolicyVersion}, {p.Status.Updates} updates, reward {p.Status.MeanReward:F3}, {p.Nodes} nodes, " +
            $"{p.Status.TransitionsPerSecond:N0} transitions/s in, learner busy {p.Utilisation:P0}, {p.StaleChunks} stale / {p.RejectedChunks} rejected chunks");
    }
}
