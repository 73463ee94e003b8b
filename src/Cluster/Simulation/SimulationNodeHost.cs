using Akka.Actor;
using MsMano.Environments.Rollouts;

namespace MsMano.Cluster.Simulation;

/// <summary>Starts a simulation node's actors on a node with role <c>sim</c>.</summary>
public static class SimulationNodeHost
{
    public const string NodeActorName = "simulation";

    /// <summary>
    /// Starts the node actor, which starts <see cref="SimulationNodeSettings.Actors"/> simulation actors; each calls
    /// <paramref name="createSource"/> once, with its actor id, on its own worker thread.
    /// </summary>
    public static IActorRef Start(ActorSystem system, SimulationNodeSettings settings, Func<int, IRolloutSource> createSource, IActorRef? localLearner = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(createSource);
        settings.Validate();
        string nodeId = string.IsNullOrWhiteSpace(settings.NodeId) ? DefaultNodeId(system) : settings.NodeId;
        return system.ActorOf(SimulationNodeActor.Props(nodeId, settings, createSource, localLearner), NodeActorName);
    }

    /// <summary>host:port of this node, unique in the cluster.</summary>
    public static string DefaultNodeId(ActorSystem system)
    {
        Address address = Akka.Cluster.Cluster.Get(system).SelfAddress;
        string id = $"{address.Host}:{address.Port}";
        return id.Length <= Contracts.Rollouts.RolloutChunk.MaxNodeIdLength ? id : id[^Contracts.Rollouts.RolloutChunk.MaxNodeIdLength..];
    }
}
