using MessagePack;
using MsMano.Contracts.Messaging;

namespace MsMano.Contracts.Policy;

/// <summary>
/// One slice of a serialized policy snapshot (the learner's PolicySnapshot record, msgpack bytes) on its way to
/// the simulation nodes. A snapshot of the ~0.1 M-parameter IDNet plus its value net is ~1 MB, far above the
/// remoting frame, so it travels as <see cref="ChunkCount"/> slices of <see cref="ChunkSize"/> bytes (the last one
/// shorter); slice i covers bytes [i * ChunkSize, i * ChunkSize + Slice.Length).
/// </summary>
[MessagePackObject]
public sealed record PolicyWeightsChunk(
    [property: Key(0)] long Version,
    [property: Key(1)] int ChunkIndex,
    [property: Key(2)] int ChunkCount,
    [property: Key(3)] int ChunkSize,
    [property: Key(4)] int TotalBytes,
    [property: Key(5)] byte[] Slice) : IClusterMessage
{
    /// <summary>64 KiB slices: one message is ~65.6 KB on the wire, half of Akka's default 128,000-byte frame.</summary>
    public const int DefaultChunkSize = 64 * 1024;

    /// <summary>A slice may never approach a frame; 1 MiB is the hard ceiling whatever the frame setting.</summary>
    public const int MaxChunkSize = 1024 * 1024;

    /// <summary>Largest snapshot accepted at all (256 MiB); reassemblers may set a lower bound.</summary>
    public const int MaxTotalBytes = 256 * 1024 * 1024;

    private const string TypeName = nameof(PolicyWeightsChunk);

    /// <summary>Byte offset of this slice in the reassembled snapshot.</summary>
    [IgnoreMember]
    public long Offset => (long)ChunkIndex * ChunkSize;

    public void Validate()
    {
        Require.InRange(TypeName, nameof(Version), Version, 0, long.MaxValue);
        Require.InRange(TypeName, nameof(TotalBytes), TotalBytes, 1, MaxTotalBytes);
        Require.InRange(TypeName, nameof(ChunkSize), ChunkSize, 1, MaxChunkSize);
        long expectedCount = ((long)TotalBytes + ChunkSize - 1) / ChunkSize;
        if (ChunkCount != expectedCount)
        {
            throw new ContractValidationException(
                TypeName, nameof(ChunkCount), ChunkCount, $"must equal ceil({TotalBytes} / {ChunkSize}) = {expectedCount}");
        }
        Require.InRange(TypeName, nameof(ChunkIndex), ChunkIndex, 0, ChunkCount - 1);
        long expectedLength = Math.Min(ChunkSize, TotalBytes - Offset);
        Require.BlobLength(TypeName, nameof(Slice), Slice, expectedLength, sizeof(byte));
    }
}
