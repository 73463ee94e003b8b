using MsMano.Contracts.Messaging;

namespace MsMano.Contracts.Policy;

/// <summary>
/// Rebuilds one serialized snapshot from its <see cref="PolicyWeightsChunk"/>s in any order. It holds at most one
/// partial snapshot, sized from the first chunk and capped by <c>maxTotalBytes</c>, so memory stays bounded however
/// a sender misbehaves. Bytes of two versions are never mixed: chunks older than the one in progress, or no newer
/// than the last completed version, are rejected; a newer version abandons the partial one (the transport is
/// at-most-once, so a lost slice must not block every later version). Not thread-safe: one per actor.
/// </summary>
public sealed class PolicyWeightsReassembler
{
    private readonly int _maxTotalBytes;
    private byte[]? _buffer;
    private bool[] _received = [];
    private int _receivedCount;
    private long _version = -1;
    private int _chunkCount;
    private int _chunkSize;

    public PolicyWeightsReassembler(int maxTotalBytes = 64 * 1024 * 1024)
    {
        if (maxTotalBytes < 1 || maxTotalBytes > PolicyWeightsChunk.MaxTotalBytes)
        {
            throw new ArgumentOutOfRangeException(
                nameof(maxTotalBytes), maxTotalBytes, $"maxTotalBytes must lie in [1, {PolicyWeightsChunk.MaxTotalBytes}]");
        }
        _maxTotalBytes = maxTotalBytes;
    }

    /// <summary>The newest version reassembled so far, or -1.</summary>
    public long LastCompletedVersion { get; private set; } = -1;

    /// <summary>The version being reassembled, or null when idle.</summary>
    public long? InProgressVersion => _buffer is null ? null : _version;

    /// <summary>How many partial snapshots were abandoned for a newer version.</summary>
    public int AbandonedCount { get; private set; }

    public ReassemblyResult Accept(PolicyWeightsChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        try
        {
            chunk.Validate();
        }
        catch (ContractValidationException ex)
        {
            return ReassemblyResult.Rejected(chunk.Version, ex.Message);
        }

        if (chunk.TotalBytes > _maxTotalBytes)
        {
            return ReassemblyResult.Rejected(
                chunk.Version, $"TotalBytes = {chunk.TotalBytes} exceeds this reassembler's limit of {_maxTotalBytes} bytes");
        }
        if (chunk.Version <= LastCompletedVersion)
        {
            return ReassemblyResult.Rejected(
                chunk.Version, $"Version = {chunk.Version} is stale: version {LastCompletedVersion} was already completed");
        }

        if (_buffer is not null && chunk.Version < _version)
        {
            return ReassemblyResult.Rejected(
                chunk.Version, $"Version = {chunk.Version} is older than version {_version} in progress");
        }
        if (_buffer is null || chunk.Version > _version)
        {
            if (_buffer is not null)
            {
                AbandonedCount++;
            }
            Start(chunk);
        }
        else if (chunk.ChunkCount != _chunkCount || chunk.ChunkSize != _chunkSize || chunk.TotalBytes != _buffer.Length)
        {
            return ReassemblyResult.Rejected(
                chunk.Version,
                $"chunk {chunk.ChunkIndex} of version {chunk.Version} declares {chunk.ChunkCount} x {chunk.ChunkSize} / {chunk.TotalBytes} bytes, " +
                $"but the version in progress has {_chunkCount} x {_chunkSize} / {_buffer.Length}");
        }

        if (_received[chunk.ChunkIndex])
        {
            return ReassemblyResult.Rejected(
                chunk.Version, $"ChunkIndex = {chunk.ChunkIndex} of version {chunk.Version} overlaps a slice already received");
        }

        chunk.Slice.AsSpan().CopyTo(_buffer!.AsSpan((int)chunk.Offset));
        _received[chunk.ChunkIndex] = true;
        _receivedCount++;
        if (_receivedCount < _chunkCount)
        {
            return ReassemblyResult.Pending(chunk.Version);
        }

        byte[] snapshot = _buffer!;
        LastCompletedVersion = _version;
        Clear();
        return ReassemblyResult.Completed(LastCompletedVersion, snapshot);
    }

    private void Start(PolicyWeightsChunk chunk)
    {
        _version = chunk.Version;
        _chunkCount = chunk.ChunkCount;
        _chunkSize = chunk.ChunkSize;
        _buffer = new byte[chunk.TotalBytes];
        _received = new bool[chunk.ChunkCount];
        _receivedCount = 0;
    }

    private void Clear()
    {
        _buffer = null;
        _received = [];
        _receivedCount = 0;
        _version = -1;
    }
}
