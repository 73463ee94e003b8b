using System.Runtime.InteropServices;
using MessagePack;
using MsMano.Contracts.Messaging;

namespace MsMano.Contracts.Rollouts;

/// <summary>
/// T control steps of N agents from one simulation actor, as raw little-endian blobs (a msgpack bin is a memcpy;
/// a float[] would cost 5 bytes and a byte swap per value). Every per-transition blob is time-major:
/// element (t, n, k) sits at index (t * N + n) * width + k. NextObservations holds the observation after the last
/// step for each agent ([N * obs]) so the learner can bootstrap values.
/// <para>
/// Sizing: one agent-step costs 4 * (obs + act + 2) + 1 bytes, plus 4 * obs per agent for the next observation.
/// With obs 192 and act 31 that is 901 bytes per transition: 64 agents x 2 steps is ~165 KB, above Akka's default
/// 128,000-byte frame. Use <see cref="RolloutChunkLayout"/> to split an actor's batch by agents (32 x 2 is ~82 KB).
/// </para>
/// </summary>
[MessagePackObject]
public sealed record RolloutChunk(
    [property: Key(0)] string NodeId,
    [property: Key(1)] int ActorId,
    [property: Key(2)] long Sequence,
    [property: Key(3)] long PolicyVersion,
    [property: Key(4)] int FirstAgent,
    [property: Key(5)] int AgentCount,
    [property: Key(6)] int StepCount,
    [property: Key(7)] int ObservationSize,
    [property: Key(8)] int ActionSize,
    [property: Key(9)] byte[] Observations,
    [property: Key(10)] byte[] Actions,
    [property: Key(11)] byte[] LogProbs,
    [property: Key(12)] byte[] Rewards,
    [property: Key(13)] byte[] Flags,
    [property: Key(14)] byte[] NextObservations) : IClusterMessage
{
    public const int MaxAgents = 4096;
    public const int MaxSteps = 4096;
    public const int MaxObservationSize = 4096;
    public const int MaxActionSize = 1024;
    public const int MaxNodeIdLength = 128;

    private const string TypeName = nameof(RolloutChunk);

    /// <summary>Transitions carried: T * N.</summary>
    [IgnoreMember]
    public int TransitionCount => StepCount * AgentCount;

    /// <summary>Builds a chunk from float spans, copying them into wire blobs; validates before returning.</summary>
    public static RolloutChunk Create(
        RolloutChunkHeader header,
        ReadOnlySpan<float> observations,
        ReadOnlySpan<float> actions,
        ReadOnlySpan<float> logProbs,
        ReadOnlySpan<float> rewards,
        ReadOnlySpan<TransitionFlags> flags,
        ReadOnlySpan<float> nextObservations)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Rollout blobs are little-endian; this host is not.");
        }

        var chunk = new RolloutChunk(
            header.NodeId,
            header.ActorId,
            header.Sequence,
            header.PolicyVersion,
            header.FirstAgent,
            header.AgentCount,
            header.StepCount,
            header.ObservationSize,
            header.ActionSize,
            MemoryMarshal.AsBytes(observations).ToArray(),
            MemoryMarshal.AsBytes(actions).ToArray(),
            MemoryMarshal.AsBytes(logProbs).ToArray(),
            MemoryMarshal.AsBytes(rewards).ToArray(),
            MemoryMarshal.AsBytes(flags).ToArray(),
            MemoryMarshal.AsBytes(nextObservations).ToArray());
        chunk.Validate();
        return chunk;
    }

    /// <summary>Checks the header ranges and every blob length against the declared sizes.</summary>
    public void Validate()
    {
        Require.NotEmpty(TypeName, nameof(NodeId), NodeId);
        Require.InRange(TypeName, nameof(NodeId) + ".Length", NodeId.Length, 1, MaxNodeIdLength);
        Require.InRange(TypeName, nameof(ActorId), ActorId, 0, int.MaxValue);
        Require.InRange(TypeName, nameof(Sequence), Sequence, 0, long.MaxValue);
        Require.InRange(TypeName, nameof(PolicyVersion), PolicyVersion, 0, long.MaxValue);
        Require.InRange(TypeName, nameof(FirstAgent), FirstAgent, 0, int.MaxValue);
        Require.InRange(TypeName, nameof(AgentCount), AgentCount, 1, MaxAgents);
        Require.InRange(TypeName, nameof(StepCount), StepCount, 1, MaxSteps);
        Require.InRange(TypeName, nameof(ObservationSize), ObservationSize, 1, MaxObservationSize);
        Require.InRange(TypeName, nameof(ActionSize), ActionSize, 1, MaxActionSize);

        long transitions = (long)StepCount * AgentCount;
        Require.BlobLength(TypeName, nameof(Observations), Observations, transitions * ObservationSize, sizeof(float));
        Require.BlobLength(TypeName, nameof(Actions), Actions, transitions * ActionSize, sizeof(float));
        Require.BlobLength(TypeName, nameof(LogProbs), LogProbs, transitions, sizeof(float));
        Require.BlobLength(TypeName, nameof(Rewards), Rewards, transitions, sizeof(float));
        Require.BlobLength(TypeName, nameof(Flags), Flags, transitions, sizeof(byte));
        Require.BlobLength(TypeName, nameof(NextObservations), NextObservations, (long)AgentCount * ObservationSize, sizeof(float));

        const byte known = (byte)(TransitionFlags.Terminated | TransitionFlags.Truncated);
        int unknown = FirstUnknownFlag(Flags, known);
        if (unknown >= 0)
        {
            throw new ContractValidationException(TypeName, $"{nameof(Flags)}[{unknown}]", Flags[unknown], "only Terminated (1) and Truncated (2) bits are defined");
        }
    }

    /// <summary>Validates, then exposes the blobs as typed spans without copying.</summary>
    public RolloutView Read()
    {
        Validate();
        return new RolloutView(this);
    }

    private static int FirstUnknownFlag(byte[] flags, byte known)
    {
        for (int i = 0; i < flags.Length; i++)
        {
            if ((flags[i] & ~known) != 0)
            {
                return i;
            }
        }
        return -1;
    }
}
