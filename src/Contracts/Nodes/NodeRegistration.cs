using MessagePack;
using MsMano.Contracts.Messaging;
using MsMano.Contracts.Rollouts;

namespace MsMano.Contracts.Nodes;

/// <summary>
/// Simulation node → learner when the node joins: what it runs and the tensor sizes it will send, so the learner
/// can refuse a node built for another observation or action layout. The node's actor ref is the message's sender.
/// </summary>
[MessagePackObject]
public sealed record NodeRegistration(
    [property: Key(0)] string NodeId,
    [property: Key(1)] int ActorCount,
    [property: Key(2)] int AgentCount,
    [property: Key(3)] int ObservationSize,
    [property: Key(4)] int ActionSize) : IClusterMessage
{
    public const int MaxActors = 1024;

    public void Validate()
    {
        Require.NotEmpty(nameof(NodeRegistration), nameof(NodeId), NodeId);
        Require.InRange(nameof(NodeRegistration), nameof(NodeId) + ".Length", NodeId.Length, 1, RolloutChunk.MaxNodeIdLength);
        Require.InRange(nameof(NodeRegistration), nameof(ActorCount), ActorCount, 1, MaxActors);
        Require.InRange(nameof(NodeRegistration), nameof(AgentCount), AgentCount, 1, (long)MaxActors * RolloutChunk.MaxAgents);
        Require.InRange(nameof(NodeRegistration), nameof(ObservationSize), ObservationSize, 1, RolloutChunk.MaxObservationSize);
        Require.InRange(nameof(NodeRegistration), nameof(ActionSize), ActionSize, 1, RolloutChunk.MaxActionSize);
    }
}
