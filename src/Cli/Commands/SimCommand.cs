using System.CommandLine;
using Akka.Actor;
using Microsoft.Extensions.Configuration;
using MsMano.Cluster.Bootstrap;
using MsMano.Cluster.Learner;
using MsMano.Cluster.Learner.DataParallel;
using MsMano.Cluster.Options;
using MsMano.Cluster.Simulation;
using MsMano.Environments.Rollouts;
using MsMano.Learning.Ppo;
using Serilog;

namespace MsMano.Cli.Commands;

/// <summary>
/// `msmano sim`: one simulation node process (role <c>sim</c>): k simulation actors x N agents streaming rollouts
/// to the learner. Settings: flags, or MSMANO__SIM__* / CLUSTER__* / MSMANO__CLUSTER__* variables (deploy/k8s).
/// </summary>
public static class SimCommand
{
    public static Command Create()
    {
        var flags = new SimNodeFlags();
        var actors = new Option<int?>("--actors") { Description = "Simulation actors on this node (default 1)." };
        var agents = new Option<int?>("--agents") { Description = "Agents per actor (default 64)." };
        var nodeId = new Option<string?>("--node-id") { Description = "Node name in chunks and logs (default host:port)." };
        var motion = new Option<string?>("--motion") { Description = "Training motion spec for --env idnet (default synthetic:clips=256,seed=1)." };
        var torchThreads = new Option<int?>("--torch-threads") { Description = "With --learning data-parallel: TorchSharp threads of this node's trainer (default: TorchSharp's)." };
        Option<double> shapeSpread = ShapeSpreadFlag.Create();
        Option<string?> mano = ShapeSpreadFlag.Mano();
        Option<bool> clampPoses = PoseFlags.ClampPoses();
        var command = new Command("sim", "Run a simulation node: actors stepping MS-MANO hands and streaming rollouts to the learner.");
        foreach (Option option in flags.All.Append(actors).Append(agents).Append(nodeId).Append(motion).Append(torchThreads).Append(shapeSpread).Append(mano).Append(clampPoses))
        {
            command.Options.Add(option);
        }
        // Synchronous on purpose: System.CommandLine would kill an async action 2 s after SIGTERM; ShutdownSignals
        // turns the signal into a graceful cluster leave instead.
        command.SetAction(parse =>
        {
            IConfiguration configuration = flags.Configuration(parse,
            [
                new($"{SimulationNodeSettingsBinder.Section}:{nameof(SimulationNodeSettings.Actors)}", SimNodeFlags.Invariant(parse.GetValue(actors))),
                new($"{SimulationNodeSettingsBinder.Section}:{nameof(SimulationNodeSettings.Agents)}", SimNodeFlags.Invariant(parse.GetValue(agents))),
                new($"{SimulationNodeSettingsBinder.Section}:{nameof(SimulationNodeSettings.NodeId)}", parse.GetValue(nodeId)),
                new($"{LearnerSettingsBinder.Section}:{nameof(LearnerSettings.TorchThreads)}", SimNodeFlags.Invariant(parse.GetValue(torchThreads))),
            ]);
            // The command fixes the role; everything else may come from flags, environment or appsettings.
            ClusterNodeOptions options = ClusterNodeOptionsBinder.Bind(configuration, new ClusterNodeOptions { Roles = [ClusterRoles.Sim] }) with { Roles = [ClusterRoles.Sim] };
            SimulationNodeSettings settings = SimulationNodeSettingsBinder.Bind(configuration);
            SimSourceOptions sources = (flags.Sources(parse) with
            {
                Motion = parse.GetValue(motion) ?? new SimSourceOptions().Motion,
                ShapeSpread = parse.GetValue(shapeSpread),
                ManoModelPath = parse.GetValue(mano),
                OutOfRangePoses = PoseFlags.OutOfRange(parse, clampPoses),
            }).Validate();
            // Data-parallel: this node also trains, with the learner's PPO settings (the same keys the learner reads).
            DataParallelTrainer? trainer = SimNodeFlags.LearningMode(configuration) == LearningMode.DataParallel
                ? new DataParallelTrainer(LearnerSettingsBinder.Bind(configuration), LearnerSettingsBinder.BindPpo(configuration, sources.Ppo()))
                : null;
            return RunAsync(options, settings, sources, trainer, flags, parse).GetAwaiter().GetResult();
        });
        return command;
    }

    private static async Task<int> RunAsync(
        ClusterNodeOptions options, SimulationNodeSettings settings, SimSourceOptions sources, DataParallelTrainer? trainer, SimNodeFlags flags, ParseResult parse)
    {
        (CancellationToken parentGone, IDisposable? watch) = flags.ParentWatch(parse);
        // Unique in the cluster without asking the ActorSystem (port 0 is only known once it runs).
        string nodeId = !string.IsNullOrWhiteSpace(settings.NodeId) ? settings.NodeId
            : options.Port != 0 ? $"{options.EffectivePublicHostname}:{options.Port}"
            : $"{options.EffectivePublicHostname}-pid{System.Environment.ProcessId}";
        // Built before the node starts, so a bad motion spec or model stops the process before it joins.
        Func<int, IRolloutSource> createSource = SimSources.Factory(sources, settings.Agents, nodeId);
        using (watch)
        {
            return await ClusterNodeRunner.RunAsync(options, system =>
            {
                IActorRef? learner = trainer is null ? null
                    : DataParallelHost.StartTrainer(system, nodeId, trainer.Ppo, trainer.Learner, new DataParallelSettings());
                SimulationNodeHost.Start(system, settings with { NodeId = nodeId }, createSource, learner);
                Log.Information(
                    "Simulation node {NodeId}: {Actors} actors x {Agents} agents, environment {Environment} (obs {Obs}, act {Act}), learning {Learning}",
                    nodeId, settings.Actors, settings.Agents, sources.Environment, sources.ObservationSize, sources.ActionSize,
                    trainer is null ? LearningModes.CentralName : LearningModes.DataParallelName);
            }, parentGone).ConfigureAwait(false);
        }
    }
}

/// <summary>What a data-parallel simulation node's trainer needs: the learner's settings and PPO configuration.</summary>
public sealed record DataParallelTrainer(LearnerSettings Learner, PpoConfig Ppo);
