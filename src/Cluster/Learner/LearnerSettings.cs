namespace MsMano.Cluster.Learner;

/// <summary>
/// How the learner actor batches, paces and persists training. Defaults follow the paper (16,384 transitions per PPO
/// batch); bind overrides with <see cref="LearnerSettingsBinder"/> (<c>MSMANO__LEARNER__*</c>, flags).
/// </summary>
public sealed record LearnerSettings
{
    /// <summary>Transitions per PPO update; a batch is whatever whole chunks reach this count, from any live nodes.</summary>
    public int BatchSize { get; init; } = 16_384;

    /// <summary>Chunks acted by a policy more than this many versions behind the learner are dropped (acked, unused).</summary>
    public int MaxPolicyLag { get; init; } = 1;

    /// <summary>Unacknowledged chunks each simulation actor may have in flight while the learner keeps up.</summary>
    public int CreditWindow { get; init; } = 8;

    /// <summary>
    /// Transitions the learner buffers for the next batch while an update runs; above it acks grant a window of 0
    /// (producers pause) until the backlog drains. 0 = one <see cref="BatchSize"/>: anything collected beyond the
    /// next batch would be two versions old by the time it is used, and the lag bound would drop it anyway.
    /// </summary>
    public int MaxBufferedTransitions { get; init; }

    /// <summary>Resumable checkpoints go here and are loaded from here at start; null or empty = none.</summary>
    public string? CheckpointDirectory { get; init; } = "checkpoints";

    /// <summary>Checkpoint every this many updates (0 = only on shutdown).</summary>
    public int CheckpointEvery { get; init; } = 10;

    /// <summary>TensorBoard event files go here; null or empty = none.</summary>
    public string? TensorBoardDirectory { get; init; }

    /// <summary>Stop updating after this many updates in total (resumed ones included); 0 = no limit. Reaching it counts as convergence.</summary>
    public long MaxUpdates { get; init; }

    /// <summary>
    /// Updates per window of the reward-plateau test (<see cref="Actors.RewardPlateau"/>): training has converged, and
    /// stops, once the mean reward of the last window beats the window before it by less than
    /// <see cref="PlateauMinImprovement"/>. 0 = off (only <see cref="MaxUpdates"/> ends training). The default needs
    /// 100 updates before it can decide, so short runs and transport benchmarks are never cut short by it.
    /// </summary>
    public int PlateauWindow { get; init; } = 50;

    /// <summary>Smallest relative reward improvement between two plateau windows that still counts as learning (0.01 = 1 %).</summary>
    public double PlateauMinImprovement { get; init; } = 0.01;

    /// <summary>False turns the learner into a sink that validates, acks and counts rollouts without PPO (transport benchmarks).</summary>
    public bool Train { get; init; } = true;

    /// <summary>A node that has not re-registered for this long is forgotten (it also is when its member is removed).</summary>
    public TimeSpan NodeTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How often progress (<see cref="Actors.LearnerProgress"/>) is published between updates.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Range of every rollout field; a chunk with any value outside it is refused (the environment's own bounds; see <see cref="Learning.Ppo.RolloutBounds"/>).</summary>
    public Learning.Ppo.RolloutBounds RolloutBounds { get; init; } = Learning.Ppo.RolloutBounds.Generic;

    /// <summary>TorchSharp intra-op threads; 0 leaves TorchSharp's default (all cores).</summary>
    public int TorchThreads { get; init; }

    /// <summary>The effective backlog bound.</summary>
    public int EffectiveMaxBufferedTransitions => MaxBufferedTransitions > 0 ? MaxBufferedTransitions : BatchSize;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting and its value.</summary>
    public LearnerSettings Validate()
    {
        Require(BatchSize >= 1, nameof(BatchSize), BatchSize, "must be >= 1");
        Require(MaxPolicyLag >= 0, nameof(MaxPolicyLag), MaxPolicyLag, "must be >= 0");
        Require(CreditWindow is >= 1 and <= Contracts.Rollouts.RolloutAck.MaxWindow, nameof(CreditWindow), CreditWindow,
            $"must lie in [1, {Contracts.Rollouts.RolloutAck.MaxWindow}]");
        Require(MaxBufferedTransitions >= 0, nameof(MaxBufferedTransitions), MaxBufferedTransitions, "must be >= 0 (0 = one BatchSize)");
        Require(CheckpointEvery >= 0, nameof(CheckpointEvery), CheckpointEvery, "must be >= 0 (0 = only on shutdown)");
        Require(MaxUpdates >= 0, nameof(MaxUpdates), MaxUpdates, "must be >= 0 (0 = no limit)");
        Require(PlateauWindow >= 0, nameof(PlateauWindow), PlateauWindow, "must be >= 0 (0 = off)");
        Require(double.IsFinite(PlateauMinImprovement) && PlateauMinImprovement >= 0, nameof(PlateauMinImprovement), PlateauMinImprovement, "must be a finite number >= 0");
        Require(NodeTimeout > TimeSpan.Zero, nameof(NodeTimeout), NodeTimeout, "must be positive");
        Require(ProgressInterval > TimeSpan.Zero, nameof(ProgressInterval), ProgressInterval, "must be positive");
        Require(TorchThreads >= 0, nameof(TorchThreads), TorchThreads, "must be >= 0 (0 = TorchSharp's default)");
        return this;
    }

    private static void Require(bool ok, string name, object value, string rule)
    {
        if (!ok)
        {
            throw new ArgumentException($"Learner setting {name} = '{value}' is invalid: {rule}.", name);
        }
    }
}
