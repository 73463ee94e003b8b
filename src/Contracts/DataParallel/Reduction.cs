using MessagePack;
using MsMano.Contracts.Messaging;

namespace MsMano.Contracts.DataParallel;

/// <summary>
/// Coordinator → every member of the ring: run attempt <see cref="Attempt"/> of round <see cref="Round"/>'s update
/// over this ring (serialized actor paths of the members' trainers, in rank order). A later attempt replaces an
/// earlier one: its members first undo whatever the abandoned attempt applied.
/// </summary>
[MessagePackObject]
public sealed record ReducePlan(
    [property: Key(0)] long Round,
    [property: Key(1)] int Attempt,
    [property: Key(2)] string[] Ring) : IClusterMessage
{
    public const int MaxMembers = 4096;

    public void Validate()
    {
        Require.InRange(nameof(ReducePlan), nameof(Round), Round, 0, long.MaxValue);
        Require.InRange(nameof(ReducePlan), nameof(Attempt), Attempt, 0, 1_000_000);
        Require.NotNull(nameof(ReducePlan), nameof(Ring), Ring);
        Require.InRange(nameof(ReducePlan), nameof(Ring) + ".Length", Ring.Length, 1, MaxMembers);
        for (int i = 0; i < Ring.Length; i++)
        {
            Require.NotEmpty(nameof(ReducePlan), $"{nameof(Ring)}[{i}]", Ring[i]);
        }
    }
}

/// <summary>
/// Member → its successor in the ring: one slice of one step of one all-reduce (reduce-scatter steps first, then
/// all-gather). <see cref="Operation"/> counts the all-reduces within the attempt; <see cref="Data"/> is raw
/// little-endian floats or doubles (<see cref="ElementSize"/> 4 or 8), at most <see cref="MaxDataBytes"/>.
/// </summary>
[MessagePackObject]
public sealed record ReduceChunk(
    [property: Key(0)] long Round,
    [property: Key(1)] int Attempt,
    [property: Key(2)] int Operation,
    [property: Key(3)] int Step,
    [property: Key(4)] int ChunkIndex,
    [property: Key(5)] int ChunkCount,
    [property: Key(6)] int ElementSize,
    [property: Key(7)] byte[] Data) : IClusterMessage
{
    /// <summary>
    /// 64 KiB: under Akka's 128,000-byte frame, and every copy of the chunk on the way (ours, MessagePack's, Akka's)
    /// stays under .NET's 85,000-byte large-object threshold; at 96 KiB each copy landed on the LOH and the gen-2
    /// collections it forced made a 0.95 MB all-reduce 4x slower (37.7 against 8.7 ms median between two nodes).
    /// </summary>
    public const int MaxDataBytes = 64 * 1024;

    public void Validate()
    {
        Require.InRange(nameof(ReduceChunk), nameof(Round), Round, 0, long.MaxValue);
        Require.InRange(nameof(ReduceChunk), nameof(Attempt), Attempt, 0, 1_000_000);
        Require.InRange(nameof(ReduceChunk), nameof(Operation), Operation, 0, int.MaxValue);
        Require.InRange(nameof(ReduceChunk), nameof(Step), Step, 0, 2 * ReducePlan.MaxMembers);
        Require.InRange(nameof(ReduceChunk), nameof(ChunkCount), ChunkCount, 1, 1 << 20);
        Require.InRange(nameof(ReduceChunk), nameof(ChunkIndex), ChunkIndex, 0, ChunkCount - 1);
        if (ElementSize is not (4 or 8))
        {
            throw new ContractValidationException(nameof(ReduceChunk), nameof(ElementSize), ElementSize, "must be 4 (float) or 8 (double)");
        }
        Require.NotNull(nameof(ReduceChunk), nameof(Data), Data);
        Require.InRange(nameof(ReduceChunk), nameof(Data) + ".Length", Data.Length, 0, MaxDataBytes);
        if (Data.Length % ElementSize != 0)
        {
            throw new ContractValidationException(nameof(ReduceChunk), nameof(Data) + ".Length", Data.Length, $"must be a multiple of {ElementSize}");
        }
    }
}

/// <summary>Member → coordinator: the attempt's update is applied; the new version, state hash and the update's figures.</summary>
[MessagePackObject]
public sealed record UpdateDone(
    [property: Key(0)] long Round,
    [property: Key(1)] int Attempt,
    [property: Key(2)] long PolicyVersion,
    [property: Key(3)] string StateHash,
    [property: Key(4)] int Transitions,
    [property: Key(5)] double MeanReward,
    [property: Key(6)] double ApproxKl,
    [property: Key(7)] double LearningRate,
    [property: Key(8)] double Seconds,
    [property: Key(9)] double PolicyLoss,
    [property: Key(10)] double ValueLoss,
    [property: Key(11)] double Entropy,
    [property: Key(12)] double WorkSeconds) : IClusterMessage
{
    // WorkSeconds: this member's own compute time for its shard this round (all-reduce waits left out); the
    // coordinator sizes the member's next share from it.
    public void Validate()
    {
        Require.InRange(nameof(UpdateDone), nameof(Round), Round, 0, long.MaxValue);
        Require.InRange(nameof(UpdateDone), nameof(Attempt), Attempt, 0, 1_000_000);
        Require.InRange(nameof(UpdateDone), nameof(PolicyVersion), PolicyVersion, 0, long.MaxValue);
        StateHashes.Require(nameof(UpdateDone), StateHash);
        Require.InRange(nameof(UpdateDone), nameof(Transitions), Transitions, 1, 1 << 26);
        Require.Finite(nameof(UpdateDone), nameof(MeanReward), MeanReward);
        Require.Finite(nameof(UpdateDone), nameof(ApproxKl), ApproxKl);
        Require.Finite(nameof(UpdateDone), nameof(LearningRate), LearningRate);
        Require.Finite(nameof(UpdateDone), nameof(Seconds), Seconds);
        Require.Finite(nameof(UpdateDone), nameof(WorkSeconds), WorkSeconds);
        if (WorkSeconds < 0)
        {
            throw new ContractValidationException(nameof(UpdateDone), nameof(WorkSeconds), WorkSeconds, "must not be negative");
        }
    }
}

/// <summary>Member → coordinator: the attempt could not finish (a ring neighbour is gone or silent); its effects were undone.</summary>
[MessagePackObject]
public sealed record UpdateAborted(
    [property: Key(0)] long Round,
    [property: Key(1)] int Attempt,
    [property: Key(2)] string Reason) : IClusterMessage
{
    public void Validate()
    {
        Require.InRange(nameof(UpdateAborted), nameof(Round), Round, 0, long.MaxValue);
        Require.InRange(nameof(UpdateAborted), nameof(Attempt), Attempt, 0, 1_000_000);
        Require.NotNull(nameof(UpdateAborted), nameof(Reason), Reason);
        Require.InRange(nameof(UpdateAborted), nameof(Reason) + ".Length", Reason.Length, 0, 2048);
    }
}
