using MessagePack;
using MsMano.Contracts.Messaging;

namespace MsMano.Contracts.Rollouts;

/// <summary>
/// Learner → simulation actor: chunk <see cref="Sequence"/> of (node, actor) was received, and the actor may keep at
/// most <see cref="Window"/> chunks unacknowledged from now on. Acks are per chunk rather than cumulative so a chunk
/// lost by the at-most-once transport cannot stall the stream; a window of 0 pauses production (back-pressure).
/// </summary>
[MessagePackObject]
public sealed record RolloutAck(
    [property: Key(0)] string NodeId,
    [property: Key(1)] int ActorId,
    [property: Key(2)] long Sequence,
    [property: Key(3)] int Window) : IClusterMessage
{
    public const int MaxWindow = 1024;

    public void Validate()
    {
        Require.NotEmpty(nameof(RolloutAck), nameof(NodeId), NodeId);
        Require.InRange(nameof(RolloutAck), nameof(NodeId) + ".Length", NodeId.Length, 1, RolloutChunk.MaxNodeIdLength);
        Require.InRange(nameof(RolloutAck), nameof(ActorId), ActorId, 0, int.MaxValue);
        Require.InRange(nameof(RolloutAck), nameof(Sequence), Sequence, 0, long.MaxValue);
        Require.InRange(nameof(RolloutAck), nameof(Window), Window, 0, MaxWindow);
    }
}
