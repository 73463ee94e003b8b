using Akka.Actor;
using MsMano.Contracts.Policy;
using MsMano.Contracts.Rollouts;
using MsMano.Environments.Rollouts;

namespace MsMano.Cluster.Simulation;

/// <summary>Local messages between a simulation node actor and its simulation actors (never on the wire).</summary>
public static class SimulationProtocol
{
    /// <summary>
    /// Node → actor: act with these weights from the next collection on. <paramref name="Rebase"/> is set when they
    /// come from a new learner incarnation, which may have resumed from a checkpoint older than the weights in use.
    /// </summary>
    public sealed record ApplyPolicy(PolicySnapshot Snapshot, bool Rebase) : INoSerializationVerificationNeeded;

    /// <summary>Node → actor: whether a learner member is Up and reachable; without one the actor stops stepping.</summary>
    public sealed record LearnerAvailability(bool Present) : INoSerializationVerificationNeeded;

    /// <summary>Actor → node: the source exists and these are its sizes.</summary>
    public sealed record ActorReady(int ActorId, int Agents, int ObservationSize, int ActionSize) : INoSerializationVerificationNeeded;

    /// <summary>Actor → node after every collection, for the node's throughput report.</summary>
    public sealed record Collected(int ActorId, int AgentSteps, long PolicyVersion) : INoSerializationVerificationNeeded;

    /// <summary>Reply with <see cref="SimulationActorStats"/>.</summary>
    public sealed record GetStats : INoSerializationVerificationNeeded
    {
        public static readonly GetStats Instance = new();
    }

    internal sealed record SourceReady(RolloutBuffer Buffer, int ObservationSize, int ActionSize) : INoSerializationVerificationNeeded;

    internal sealed record SourceFailed(Exception Cause) : INoSerializationVerificationNeeded;

    internal sealed record CollectFinished(IReadOnlyList<RolloutChunk> Chunks, long PolicyVersion, int AgentSteps) : INoSerializationVerificationNeeded;

    internal sealed record CollectFailed(Exception Cause) : INoSerializationVerificationNeeded;

    internal sealed record Retry : INoSerializationVerificationNeeded
    {
        public static readonly Retry Instance = new();
    }

    internal sealed record ExpireTick : INoSerializationVerificationNeeded
    {
        public static readonly ExpireTick Instance = new();
    }
}

/// <summary>What one simulation actor has done so far (tests and diagnostics).</summary>
public sealed record SimulationActorStats(
    int ActorId,
    long PolicyVersion,
    long Collections,
    long AgentSteps,
    long ChunksSent,
    long ChunksAcknowledged,
    long ChunksExpired,
    long StaleRolloutsDropped,
    long StalePoliciesDropped,
    int InFlight,
    int Window,
    bool LearnerPresent) : INoSerializationVerificationNeeded;
