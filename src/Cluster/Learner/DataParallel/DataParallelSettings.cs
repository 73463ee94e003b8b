namespace MsMano.Cluster.Learner.DataParallel;

/// <summary>How a data-parallel group collects, reduces and recovers; the coordinator's and the trainers' shared knobs.</summary>
public sealed record DataParallelSettings
{
    /// <summary>
    /// DD-PPO's preemption threshold: once this share of the round's members has its shard, the rest stop collecting
    /// and contribute what they have, so one slow node cannot hold the group back.
    /// </summary>
    public double StragglerFraction { get; init; } = 0.6;

    /// <summary>Longest wait for one all-reduce (milliseconds on a LAN); past it the attempt is abandoned and re-planned.</summary>
    public TimeSpan ReduceTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Longest wait for a member's shard once collection was stopped; a silent member is left out of the round.</summary>
    public TimeSpan CollectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait for a state transfer to a joining or diverged member before the round starts without it.</summary>
    public TimeSpan SyncTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a new coordinator listens to members before it picks the group's state (theirs or its checkpoint).</summary>
    public TimeSpan GatherPeriod { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Re-plans of one round's update before the round is given up (members then resync).</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>How often a trainer says hello (membership heartbeat and sync report).</summary>
    public TimeSpan HelloInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a trainer's hello waits for its node to appear in the coordinator's membership view before it is refused.</summary>
    public TimeSpan MemberWait { get; init; } = TimeSpan.FromSeconds(30);

    public DataParallelSettings Validate()
    {
        Require(StragglerFraction is > 0 and <= 1, nameof(StragglerFraction), StragglerFraction, "must lie in (0, 1]");
        Require(ReduceTimeout > TimeSpan.Zero, nameof(ReduceTimeout), ReduceTimeout, "must be positive");
        Require(CollectTimeout > TimeSpan.Zero, nameof(CollectTimeout), CollectTimeout, "must be positive");
        Require(SyncTimeout > TimeSpan.Zero, nameof(SyncTimeout), SyncTimeout, "must be positive");
        Require(GatherPeriod >= TimeSpan.Zero, nameof(GatherPeriod), GatherPeriod, "must not be negative");
        Require(MaxAttempts >= 1, nameof(MaxAttempts), MaxAttempts, "must be at least 1");
        Require(HelloInterval > TimeSpan.Zero, nameof(HelloInterval), HelloInterval, "must be positive");
        Require(MemberWait > TimeSpan.Zero, nameof(MemberWait), MemberWait, "must be positive");
        return this;
    }

    private static void Require(bool ok, string name, object value, string rule)
    {
        if (!ok)
        {
            throw new ArgumentException($"Data-parallel setting {name} = '{value}' is invalid: {rule}.", name);
        }
    }
}
