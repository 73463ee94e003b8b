using MsMano.Contracts.Rollouts;

namespace MsMano.Cluster.Simulation;

/// <summary>
/// How one simulation node runs its actors and paces its rollouts. Bind overrides with
/// <see cref="SimulationNodeSettingsBinder"/> (<c>MSMANO__SIM__*</c>, flags).
/// </summary>
public sealed record SimulationNodeSettings
{
    /// <summary>Names this node in chunks and logs; empty = derived from the node's address.</summary>
    public string NodeId { get; init; } = "";

    /// <summary>Simulation actors on this node, each with its own batch of agents and its own thread.</summary>
    public int Actors { get; init; } = 1;

    /// <summary>Agents per actor (one HandBatch each).</summary>
    public int Agents { get; init; } = 64;

    /// <summary>Control steps per agent in one collection (the authors' n_steps = 2).</summary>
    public int StepsPerCollection { get; init; } = 2;

    /// <summary>Unacknowledged chunks an actor may send before the learner's first ack sets the window.</summary>
    public int InitialWindow { get; init; } = 8;

    /// <summary>A chunk not acknowledged within this long is written off, so a dead learner cannot block forever.</summary>
    public TimeSpan AckTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Rollouts acted by a policy more than this many versions behind the newest weights received are not sent.</summary>
    public int MaxPolicyLag { get; init; } = 1;

    /// <summary>How often the node (re-)registers with the learner; a restarted learner learns about it within one interval.</summary>
    public TimeSpan RegistrationInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the node reports its throughput to the learner.</summary>
    public TimeSpan StatusInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Upper bound for one rollout chunk's blobs; chunks are split by agents to stay under the remoting frame.</summary>
    public int ChunkBudgetBytes { get; init; } = RolloutChunkLayout.DefaultBudgetBytes;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting and its value.</summary>
    public SimulationNodeSettings Validate()
    {
        Require(NodeId.Length <= RolloutChunk.MaxNodeIdLength, nameof(NodeId), NodeId, $"must be at most {RolloutChunk.MaxNodeIdLength} characters");
        Require(Actors is >= 1 and <= Contracts.Nodes.NodeRegistration.MaxActors, nameof(Actors), Actors,
            $"must lie in [1, {Contracts.Nodes.NodeRegistration.MaxActors}]");
        Require(Agents is >= 1 and <= RolloutChunk.MaxAgents, nameof(Agents), Agents, $"must lie in [1, {RolloutChunk.MaxAgents}]");
        Require(StepsPerCollection is >= 1 and <= RolloutChunk.MaxSteps, nameof(StepsPerCollection), StepsPerCollection,
            $"must lie in [1, {RolloutChunk.MaxSteps}]");
        Require(InitialWindow is >= 1 and <= RolloutAck.MaxWindow, nameof(InitialWindow), InitialWindow, $"must lie in [1, {RolloutAck.MaxWindow}]");
        Require(AckTimeout > TimeSpan.Zero, nameof(AckTimeout), AckTimeout, "must be positive");
        Require(MaxPolicyLag >= 0, nameof(MaxPolicyLag), MaxPolicyLag, "must be >= 0");
        Require(RegistrationInterval > TimeSpan.Zero, nameof(RegistrationInterval), RegistrationInterval, "must be positive");
        Require(StatusInterval > TimeSpan.Zero, nameof(StatusInterval), StatusInterval, "must be positive");
        Require(ChunkBudgetBytes >= 1024, nameof(ChunkBudgetBytes), ChunkBudgetBytes, "must be at least 1024 bytes");
        return this;
    }

    private static void Require(bool ok, string name, object value, string rule)
    {
        if (!ok)
        {
            throw new ArgumentException($"Simulation setting {name} = '{value}' is invalid: {rule}.", name);
        }
    }
}
