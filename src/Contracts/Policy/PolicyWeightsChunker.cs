namespace MsMano.Contracts.Policy;

/// <summary>Cuts a serialized policy snapshot into <see cref="PolicyWeightsChunk"/>s for broadcast.</summary>
public static class PolicyWeightsChunker
{
    public static IReadOnlyList<PolicyWeightsChunk> Split(
        long version, ReadOnlySpan<byte> snapshot, int chunkSize = PolicyWeightsChunk.DefaultChunkSize)
    {
        if (version < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(version), version, "version must be >= 0");
        }
        if (chunkSize < 1 || chunkSize > PolicyWeightsChunk.MaxChunkSize)
        {
            throw new ArgumentOutOfRangeException(
                nameof(chunkSize), chunkSize, $"chunkSize must lie in [1, {PolicyWeightsChunk.MaxChunkSize}]");
        }
        if (snapshot.Length < 1 || snapshot.Length > PolicyWeightsChunk.MaxTotalBytes)
        {
            throw new ArgumentOutOfRangeException(
                nameof(snapshot), snapshot.Length, $"snapshot length must lie in [1, {PolicyWeightsChunk.MaxTotalBytes}]");
        }

        int count = (snapshot.Length + chunkSize - 1) / chunkSize;
        var chunks = new PolicyWeightsChunk[count];
        for (int i = 0; i < count; i++)
        {
            int offset = i * chunkSize;
            int length = Math.Min(chunkSize, snapshot.Length - offset);
            chunks[i] = new PolicyWeightsChunk(version, i, count, chunkSize, snapshot.Length, snapshot.Slice(offset, length).ToArray());
        }
        return chunks;
    }
}
