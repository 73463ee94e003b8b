using MessagePack;
using MsMano.Contracts.Messaging;
using MsMano.Contracts.Rollouts;

namespace MsMano.Contracts.DataParallel;

/// <summary>
/// Trainer → coordinator, at start and every registration interval: this node trains, holds this policy version
/// and state hash, and these sizes. It is the membership heartbeat and the sync report in one; the sender is the
/// trainer actor.
/// </summary>
[MessagePackObject]
public sealed record TrainerHello(
    [property: Key(0)] string NodeId,
    [property: Key(1)] long PolicyVersion,
    [property: Key(2)] string StateHash,
    [property: Key(3)] int ObservationSize,
    [property: Key(4)] int ActionSize,
    [property: Key(5)] int Agents,
    [property: Key(6)] double AgentStepsPerSecond) : IClusterMessage
{
    public void Validate()
    {
        Require.NotEmpty(nameof(TrainerHello), nameof(NodeId), NodeId);
        Require.InRange(nameof(TrainerHello), nameof(NodeId) + ".Length", NodeId.Length, 1, RolloutChunk.MaxNodeIdLength);
        Require.InRange(nameof(TrainerHello), nameof(PolicyVersion), PolicyVersion, 0, long.MaxValue);
        StateHashes.Require(nameof(TrainerHello), StateHash);
        Require.InRange(nameof(TrainerHello), nameof(ObservationSize), ObservationSize, 1, RolloutChunk.MaxObservationSize);
        Require.InRange(nameof(TrainerHello), nameof(ActionSize), ActionSize, 1, RolloutChunk.MaxActionSize);
        Require.InRange(nameof(TrainerHello), nameof(Agents), Agents, 0, 1 << 24);
        Require.Finite(nameof(TrainerHello), nameof(AgentStepsPerSecond), AgentStepsPerSecond);
    }
}

/// <summary>The 16-hex-digit state hashes the data-parallel messages carry.</summary>
internal static class StateHashes
{
    public static void Require(string type, string? hash)
    {
        if (hash is null || hash.Length != 16 || !hash.All(char.IsAsciiHexDigitLower))
        {
            throw new ContractValidationException(type, "StateHash", hash, "must be 16 lower-case hex digits");
        }
    }
}
