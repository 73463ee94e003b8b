using Akka.Actor;

namespace MsMano.Contracts.Monitoring;

/// <summary>
/// What a training process (the central learner, or a data-parallel group's coordinator) tells node-local watchers
/// such as the dashboard, published on its node's EventStream after each update and each progress tick. Never sent
/// over the wire. Counters are cumulative since the publisher started; rates are the publisher's latest estimates.
/// </summary>
/// <param name="Source">Who trains: "learner" or "data-parallel".</param>
/// <param name="PolicyVersion">Newest policy version.</param>
/// <param name="Updates">PPO updates in total (resumed ones included).</param>
/// <param name="TotalTransitions">Transitions trained on in total.</param>
/// <param name="MeanReward">Mean reward of the last update's batch.</param>
/// <param name="ApproxKl">Approximate KL of the last update; null before the first.</param>
/// <param name="BusySeconds">Wall time spent inside updates since start.</param>
/// <param name="WallSeconds">Wall time since start.</param>
/// <param name="TransitionsPerSecond">Rollout transitions arriving per second (latest interval).</param>
/// <param name="Nodes">The simulation nodes the trainer hears from, with their latest reports.</param>
/// <param name="CheckpointDirectory">Where checkpoints go; null when none are written.</param>
/// <param name="LastCheckpoint">Path of the newest checkpoint written by this publisher; null before the first.</param>
/// <param name="Converged">Training has ended; the policy is final.</param>
public sealed record TrainingSnapshot(
    string Source,
    long PolicyVersion,
    long Updates,
    long TotalTransitions,
    double MeanReward,
    double? ApproxKl,
    double BusySeconds,
    double WallSeconds,
    double TransitionsPerSecond,
    IReadOnlyList<SimulationNodeSnapshot> Nodes,
    string? CheckpointDirectory,
    string? LastCheckpoint,
    bool Converged) : INoSerializationVerificationNeeded
{
    /// <summary>Fraction of wall time spent in updates.</summary>
    public double BusyShare => WallSeconds > 0 ? Math.Clamp(BusySeconds / WallSeconds, 0, 1) : 0;
}

/// <summary>One simulation node as the trainer last heard it: <paramref name="Address"/> is its Akka address (joins cluster members).</summary>
public sealed record SimulationNodeSnapshot(string NodeId, string Address, int Actors, int Agents, double AgentStepsPerSecond, long PolicyVersion, double SecondsSinceHeard);
