using MessagePack;
using MsMano.Contracts.Messaging;
using MsMano.Contracts.Policy;

namespace MsMano.Contracts.DataParallel;

/// <summary>
/// Coordinator → an in-sync member: send your whole training state (weights, Adam, normaliser) to
/// <see cref="Target"/> (a serialized actor path: a joining or diverged member, or the coordinator for a checkpoint).
/// </summary>
[MessagePackObject]
public sealed record SendState(
    [property: Key(0)] long Round,
    [property: Key(1)] string Target) : IClusterMessage
{
    public void Validate()
    {
        Require.InRange(nameof(SendState), nameof(Round), Round, 0, long.MaxValue);
        Require.NotEmpty(nameof(SendState), nameof(Target), Target);
    }
}

/// <summary>
/// One slice of a learner state blob on its way to a member or the coordinator; the slicing and its checks are the
/// policy broadcast's (<see cref="PolicyWeightsChunk"/>), the hash names the state the slices rebuild.
/// </summary>
[MessagePackObject]
public sealed record StateChunk(
    [property: Key(0)] string StateHash,
    [property: Key(1)] PolicyWeightsChunk Part) : IClusterMessage
{
    public void Validate()
    {
        StateHashes.Require(nameof(StateChunk), StateHash);
        Require.NotNull(nameof(StateChunk), nameof(Part), Part);
        Part.Validate();
    }
}
