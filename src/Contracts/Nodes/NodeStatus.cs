using MessagePack;
using MsMano.Contracts.Messaging;
using MsMano.Contracts.Rollouts;

namespace MsMano.Contracts.Nodes;

/// <summary>Simulation node → learner, periodically: throughput and the policy version the node is acting with.</summary>
[MessagePackObject]
public sealed record NodeStatus(
    [property: Key(0)] string NodeId,
    [property: Key(1)] int ActorCount,
    [property: Key(2)] int AgentCount,
    [property: Key(3)] double AgentStepsPerSecond,
    [property: Key(4)] long PolicyVersion) : IClusterMessage
{
    public void Validate()
    {
        Require.NotEmpty(nameof(NodeStatus), nameof(NodeId), NodeId);
        Require.InRange(nameof(NodeStatus), nameof(NodeId) + ".Length", NodeId.Length, 1, RolloutChunk.MaxNodeIdLength);
        Require.InRange(nameof(NodeStatus), nameof(ActorCount), ActorCount, 0, NodeRegistration.MaxActors);
        Require.InRange(nameof(NodeStatus), nameof(AgentCount), AgentCount, 0, (long)NodeRegistration.MaxActors * RolloutChunk.MaxAgents);
        Require.Finite(nameof(NodeStatus), nameof(AgentStepsPerSecond), AgentStepsPerSecond);
        if (AgentStepsPerSecond < 0)
        {
            throw new ContractValidationException(nameof(NodeStatus), nameof(AgentStepsPerSecond), AgentStepsPerSecond, "must be >= 0");
        }
        Require.InRange(nameof(NodeStatus), nameof(PolicyVersion), PolicyVersion, -1, long.MaxValue);
    }
}
