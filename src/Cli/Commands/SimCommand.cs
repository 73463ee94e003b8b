using System.CommandLine;
using Microsoft.Extensions.Configuration;
using MsMano.Cluster.Bootstrap;
using MsMano.Cluster.Options;
using MsMano.Cluster.Simulation;
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
        var command = new Command("sim", "Run a simulation node: actors stepping MS-MANO hands and streaming rollouts to the learner.");
        foreach (Option option in flags.All.Append(actors).Append(agents).Append(nodeId).Append(motion))
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
            ]);
            // The command fixes the role; everything else may come from flags, environment or appsettings.
            ClusterNodeOptions options = ClusterNodeOptionsBinder.Bind(configuration, new ClusterNodeOptions { Roles = [ClusterRoles.Sim] }) with { Roles = [ClusterRoles.Sim] };
            SimulationNodeSettings settings = SimulationNodeSettingsBinder.Bind(configuration);
            SimSourceOptions sources = flags.Sources(parse) with { Motion = parse.GetValue(motion) ?? new SimSourceOptions().Motion };
            return RunAsync(options, settings, sources, flags, parse).GetAwaiter().GetResult();
        });
        return command;
    }

    private static async Task<int> RunAsync(
        ClusterNodeOptions options, SimulationNodeSettings settings, SimSourceOptions sources, SimNodeFlags flags, ParseResult parse)
    {
        var (parentGone, watch) = flags.ParentWatch(parse);
        // Unique in the cluster without asking the ActorSystem (port 0 is only known once it runs).
        string nodeId = !string.IsNullOrWhiteSpace(settings.NodeId) ? settings.NodeId
            : options.Port != 0 ? $"{options.EffectivePublicHostname}:{options.Port}"
            : $"{options.EffectivePublicHostname}-pid{System.Environment.ProcessId}";
        // Built before the node starts, so a bad motion spec or model stops the process before it joins.
        var createSource = SimSources.Factory(sources, settings.Agents, nodeId);
        using (watch)
        {
            return await ClusterNodeRunner.RunAsync(options, system =>
            {
                SimulationNodeHost.Start(system, settings with { NodeId = nodeId }, createSource);
                Log.Information(
                    "Simulation node {NodeId}: {Actors} actors x {Agents} agents, environment {Environment} (obs {Obs}, act {Act})",
                    nodeId, settings.Actors, settings.Agents, sources.Environment, sources.ObservationSize, sources.ActionSize);
            }, parentGone).ConfigureAwait(false);
        }
    }
}
