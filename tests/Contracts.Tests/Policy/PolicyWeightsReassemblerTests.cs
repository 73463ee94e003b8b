using MsMano.Contracts.Messaging;
using MsMano.Contracts.Policy;

namespace MsMano.Contracts.Tests.Policy;

public sealed class PolicyWeightsReassemblerTests
{
    private static byte[] Snapshot(int length, int seed)
    {
        byte[] bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public void Chunks_in_any_order_rebuild_the_exact_snapshot()
    {
        byte[] snapshot = Snapshot(1_000_003, seed: 1);
        PolicyWeightsChunk[] chunks = PolicyWeightsChunker.Split(5, snapshot).ToArray();
        new Random(2).Shuffle(chunks);
        var reassembler = new PolicyWeightsReassembler();

        ReassemblyResult last = default;
        for (int i = 0; i < chunks.Length; i++)
        {
            last = reassembler.Accept(chunks[i]);
            Assert.Equal(i < chunks.Length - 1 ? ReassemblyStatus.Pending : ReassemblyStatus.Completed, last.Status);
        }

        Assert.Equal(snapshot, last.Snapshot);
        Assert.Equal(5, reassembler.LastCompletedVersion);
        Assert.Null(reassembler.InProgressVersion);
        Assert.Equal(16, chunks.Length);
    }

    [Fact]
    public void Every_chunk_stays_well_under_the_default_frame()
    {
        IReadOnlyList<PolicyWeightsChunk> chunks = PolicyWeightsChunker.Split(1, Snapshot(300_000, 3));
        var codec = new MsMano.Contracts.Serialization.ContractCodec();
        Assert.All(chunks, c => Assert.InRange(codec.Serialize(c).Length, 1, 70_000));
    }

    [Fact]
    public void A_repeated_slice_is_rejected_as_an_overlap_and_does_not_count()
    {
        IReadOnlyList<PolicyWeightsChunk> chunks = PolicyWeightsChunker.Split(1, Snapshot(1000, 4), chunkSize: 400);
        var reassembler = new PolicyWeightsReassembler();

        Assert.Equal(ReassemblyStatus.Pending, reassembler.Accept(chunks[0]).Status);
        ReassemblyResult again = reassembler.Accept(chunks[0]);

        Assert.Equal(ReassemblyStatus.Rejected, again.Status);
        Assert.Contains("overlaps", again.Reason);
        Assert.Equal(ReassemblyStatus.Pending, reassembler.Accept(chunks[1]).Status);
        Assert.Equal(ReassemblyStatus.Completed, reassembler.Accept(chunks[2]).Status);
    }

    [Fact]
    public void Chunks_of_an_older_version_never_mix_into_the_one_in_progress()
    {
        byte[] v1 = Snapshot(1000, 5);
        byte[] v2 = Snapshot(1000, 6);
        IReadOnlyList<PolicyWeightsChunk> old = PolicyWeightsChunker.Split(1, v1, chunkSize: 400);
        IReadOnlyList<PolicyWeightsChunk> current = PolicyWeightsChunker.Split(2, v2, chunkSize: 400);
        var reassembler = new PolicyWeightsReassembler();

        reassembler.Accept(current[0]);
        ReassemblyResult mixed = reassembler.Accept(old[1]);
        Assert.Equal(ReassemblyStatus.Rejected, mixed.Status);
        Assert.Contains("older than version 2", mixed.Reason);

        reassembler.Accept(current[1]);
        Assert.Equal(v2, reassembler.Accept(current[2]).Snapshot);
    }

    [Fact]
    public void A_newer_version_abandons_a_partial_one_so_a_lost_slice_cannot_block_updates()
    {
        IReadOnlyList<PolicyWeightsChunk> v1 = PolicyWeightsChunker.Split(1, Snapshot(1000, 7), chunkSize: 400);
        byte[] v2Bytes = Snapshot(900, 8);
        IReadOnlyList<PolicyWeightsChunk> v2 = PolicyWeightsChunker.Split(2, v2Bytes, chunkSize: 300);
        var reassembler = new PolicyWeightsReassembler();

        reassembler.Accept(v1[0]);
        reassembler.Accept(v1[1]);
        Assert.Equal(ReassemblyStatus.Pending, reassembler.Accept(v2[2]).Status);
        Assert.Equal(1, reassembler.AbandonedCount);
        Assert.Equal(ReassemblyStatus.Rejected, reassembler.Accept(v1[2]).Status);
        reassembler.Accept(v2[0]);
        Assert.Equal(v2Bytes, reassembler.Accept(v2[1]).Snapshot);
    }

    [Fact]
    public void A_completed_or_older_version_is_stale()
    {
        IReadOnlyList<PolicyWeightsChunk> v3 = PolicyWeightsChunker.Split(3, Snapshot(10, 9));
        IReadOnlyList<PolicyWeightsChunk> v2 = PolicyWeightsChunker.Split(2, Snapshot(10, 9));
        var reassembler = new PolicyWeightsReassembler();
        Assert.Equal(ReassemblyStatus.Completed, reassembler.Accept(v3[0]).Status);

        Assert.Contains("stale", reassembler.Accept(v3[0]).Reason);
        Assert.Contains("stale", reassembler.Accept(v2[0]).Reason);
    }

    [Fact]
    public void A_chunk_whose_geometry_disagrees_with_its_version_is_rejected()
    {
        IReadOnlyList<PolicyWeightsChunk> a = PolicyWeightsChunker.Split(4, Snapshot(1000, 10), chunkSize: 400);
        IReadOnlyList<PolicyWeightsChunk> b = PolicyWeightsChunker.Split(4, Snapshot(1000, 10), chunkSize: 250);
        var reassembler = new PolicyWeightsReassembler();

        reassembler.Accept(a[0]);
        ReassemblyResult result = reassembler.Accept(b[1]);

        Assert.Equal(ReassemblyStatus.Rejected, result.Status);
        Assert.Contains("version in progress has 3 x 400", result.Reason);
    }

    [Fact]
    public void Memory_is_bounded_by_the_configured_maximum()
    {
        PolicyWeightsChunk chunk = PolicyWeightsChunker.Split(1, Snapshot(5000, 11), chunkSize: 1000)[0];
        var reassembler = new PolicyWeightsReassembler(maxTotalBytes: 4096);

        ReassemblyResult result = reassembler.Accept(chunk);

        Assert.Equal(ReassemblyStatus.Rejected, result.Status);
        Assert.Contains("TotalBytes = 5000", result.Reason);
        Assert.Null(reassembler.InProgressVersion);
    }

    [Fact]
    public void A_forged_chunk_is_rejected_with_the_field_it_breaks()
    {
        PolicyWeightsChunk valid = PolicyWeightsChunker.Split(1, Snapshot(1000, 12), chunkSize: 400)[2];
        var reassembler = new PolicyWeightsReassembler();

        Assert.Contains("ChunkCount = 2", reassembler.Accept(valid with { ChunkCount = 2 }).Reason);
        Assert.Contains("Slice.Length = 400", reassembler.Accept(valid with { Slice = new byte[400] }).Reason);
        ContractValidationException ex = Assert.Throws<ContractValidationException>(() => (valid with { ChunkIndex = 3 }).Validate());
        Assert.Equal("ChunkIndex", ex.Field);
    }
}
