using MsMano.Cluster.Learner;
using MsMano.Learning.Ppo;

namespace MsMano.Cluster.Tests.Learner;

public sealed class BatchAssemblerTests
{
    private static RolloutSegment Segment(int agents, long version) => new()
    {
        Steps = 2,
        Agents = agents,
        PolicyVersion = version,
        Observations = new float[2 * agents],
        Actions = new float[2 * agents],
        LogProbs = new float[2 * agents],
        Rewards = new float[2 * agents],
        Terminated = new bool[2 * agents],
        Truncated = new bool[2 * agents],
        NextObservations = new float[agents],
    };

    [Fact]
    public void A_batch_is_counted_in_transitions_from_any_mix_of_segments_oldest_first()
    {
        var assembler = new BatchAssembler(batchSize: 100);
        assembler.Add(Segment(agents: 32, version: 1));
        assembler.Add(Segment(agents: 10, version: 1));
        Assert.False(assembler.HasBatch);
        assembler.Add(Segment(agents: 16, version: 2));
        assembler.Add(Segment(agents: 32, version: 2));

        IReadOnlyList<RolloutSegment> batch = assembler.TakeBatch();

        Assert.Equal([64, 20, 32], batch.Select(s => s.Transitions));
        Assert.Equal(64, assembler.PendingTransitions);
        Assert.Equal(1, assembler.PendingSegments);
        Assert.False(assembler.HasBatch);
    }

    [Fact]
    public void Stale_segments_are_dropped_and_no_longer_counted()
    {
        var assembler = new BatchAssembler(batchSize: 100);
        assembler.Add(Segment(agents: 32, version: 3));
        assembler.Add(Segment(agents: 32, version: 5));
        assembler.Add(Segment(agents: 32, version: 4));

        Assert.Equal(1, assembler.DropOlderThan(4));

        Assert.Equal(128, assembler.PendingTransitions);
        Assert.Equal([5L, 4L], assembler.TakeBatch().Select(s => s.PolicyVersion));
    }

    [Fact]
    public void Taking_a_batch_before_it_is_full_is_an_error()
    {
        var assembler = new BatchAssembler(batchSize: 100);
        assembler.Add(Segment(agents: 10, version: 0));
        Assert.Throws<InvalidOperationException>(() => assembler.TakeBatch());
    }
}
