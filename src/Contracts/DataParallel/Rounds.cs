using MessagePack;
using MsMano.Contracts.Messaging;

namespace MsMano.Contracts.DataParallel;

/// <summary>
/// Coordinator → each member of round <see cref="Round"/>: collect about <see cref="ShareTransitions"/> on-policy
/// transitions with policy <see cref="PolicyVersion"/> (whose state hash is <see cref="StateHash"/>), then report.
/// </summary>
[MessagePackObject]
public sealed record RoundStart(
    [property: Key(0)] long Round,
    [property: Key(1)] long PolicyVersion,
    [property: Key(2)] string StateHash,
    [property: Key(3)] int ShareTransitions) : IClusterMessage
{
    public void Validate()
    {
        Require.InRange(nameof(RoundStart), nameof(Round), Round, 0, long.MaxValue);
        Require.InRange(nameof(RoundStart), nameof(PolicyVersion), PolicyVersion, 0, long.MaxValue);
        StateHashes.Require(nameof(RoundStart), StateHash);
        Require.InRange(nameof(RoundStart), nameof(ShareTransitions), ShareTransitions, 1, 1 << 24);
    }
}

/// <summary>Coordinator → members still collecting: enough of the group has finished (the straggler rule); stop and report.</summary>
[MessagePackObject]
public sealed record StopCollecting([property: Key(0)] long Round) : IClusterMessage
{
    public void Validate()
    {
        Require.InRange(nameof(StopCollecting), nameof(Round), Round, 0, long.MaxValue);
    }
}

/// <summary>Member → coordinator: my shard for <see cref="Round"/> holds this many transitions (possibly none).</summary>
[MessagePackObject]
public sealed record ShardReady(
    [property: Key(0)] long Round,
    [property: Key(1)] int Transitions,
    [property: Key(2)] double AgentStepsPerSecond) : IClusterMessage
{
    public void Validate()
    {
        Require.InRange(nameof(ShardReady), nameof(Round), Round, 0, long.MaxValue);
        Require.InRange(nameof(ShardReady), nameof(Transitions), Transitions, 0, 1 << 24);
        Require.Finite(nameof(ShardReady), nameof(AgentStepsPerSecond), AgentStepsPerSecond);
    }
}
