using Akka.Actor;
using MsMano.Contracts.Training;
using MsMano.Learning.Ppo;

namespace MsMano.Cluster.Learner;

/// <summary>
/// Published on the learner node's EventStream after every update and every progress interval: the cluster-facing
/// <see cref="TrainingStatus"/> plus the counters hosts need for displays and benchmarks. Counters are cumulative
/// since this learner incarnation started, so a reader takes differences between two samples.
/// <see cref="UpdateSeconds"/> is wall time spent in PPO updates, including the part of one still running.
/// </summary>
public sealed record LearnerProgress(
    TrainingStatus Status,
    int Nodes,
    long ReceivedChunks,
    long ReceivedTransitions,
    long AcceptedTransitions,
    long StaleChunks,
    long RejectedChunks,
    long RolloutBytes,
    double UpdateSeconds,
    double WallSeconds,
    double ClusterAgentStepsPerSecond,
    UpdateStats? LastUpdate,
    bool Finished) : INoSerializationVerificationNeeded
{
    /// <summary>Updates refused for a non-finite loss, gradient or weight (the last good state was kept).</summary>
    public long RejectedUpdates { get; init; }

    /// <summary>Rollout chunks and registrations refused for their sender (not a registered node / not a sim member).</summary>
    public long RefusedMessages { get; init; }

    /// <summary>
    /// <see cref="WallSeconds"/> when the last update finished (0 before the first): throughput over whole updates is
    /// the change in <see cref="TrainingStatus.TotalTransitions"/> over the change in this, free of the up-to-one-batch
    /// error of sampling the counter at arbitrary times.
    /// </summary>
    public double LastUpdateWallSeconds { get; init; }

    /// <summary>Fraction of wall time spent inside PPO updates.</summary>
    public double Utilisation => WallSeconds > 0 ? UpdateSeconds / WallSeconds : 0.0;
}

/// <summary>Messages the learner actor understands besides the wire contracts.</summary>
public static class LearnerProtocol
{
    /// <summary>
    /// The node is leaving: start no further update, write a checkpoint (after any running update) and reply
    /// <see cref="Akka.Done"/>. No update may follow it, or its work would be lost with the node.
    /// </summary>
    public sealed record CheckpointNow : INoSerializationVerificationNeeded
    {
        public static readonly CheckpointNow Instance = new();
    }

    /// <summary>Reply with the current <see cref="LearnerProgress"/>.</summary>
    public sealed record GetProgress : INoSerializationVerificationNeeded
    {
        public static readonly GetProgress Instance = new();
    }

    internal sealed record Started(LearnerState State) : INoSerializationVerificationNeeded;

    internal sealed record StartFailed(Exception Cause) : INoSerializationVerificationNeeded;

    internal sealed record UpdateFinished(LearnerUpdate Update) : INoSerializationVerificationNeeded;

    internal sealed record UpdateFailed(Exception Cause, int Transitions) : INoSerializationVerificationNeeded;

    internal sealed record Tick : INoSerializationVerificationNeeded
    {
        public static readonly Tick Instance = new();
    }
}
