using MsMano.Learning.Ppo;

namespace MsMano.Cluster.Learner;

/// <summary>
/// Collects validated segments from whatever nodes send them until a batch holds enough transitions. The batch is
/// counted in transitions, never in nodes, so a node that dies mid-batch leaves nothing half-assembled behind.
/// </summary>
public sealed class BatchAssembler
{
    private readonly List<RolloutSegment> _pending = [];

    public BatchAssembler(int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        BatchSize = batchSize;
    }

    public int BatchSize { get; }

    /// <summary>Transitions waiting for a batch.</summary>
    public int PendingTransitions { get; private set; }

    public int PendingSegments => _pending.Count;

    public bool HasBatch => PendingTransitions >= BatchSize;

    public void Add(RolloutSegment segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        _pending.Add(segment);
        PendingTransitions += segment.Transitions;
    }

    /// <summary>Drops segments acted by a policy older than <paramref name="oldestVersion"/>; returns how many.</summary>
    public int DropOlderThan(long oldestVersion)
    {
        int dropped = 0;
        for (int i = _pending.Count - 1; i >= 0; i--)
        {
            if (_pending[i].PolicyVersion < oldestVersion)
            {
                PendingTransitions -= _pending[i].Transitions;
                _pending.RemoveAt(i);
                dropped++;
            }
        }
        return dropped;
    }

    /// <summary>Oldest segments first until the batch holds at least <see cref="BatchSize"/> transitions.</summary>
    public IReadOnlyList<RolloutSegment> TakeBatch()
    {
        if (!HasBatch)
        {
            throw new InvalidOperationException($"Only {PendingTransitions} of {BatchSize} transitions are pending.");
        }
        int count = 0;
        int transitions = 0;
        while (transitions < BatchSize)
        {
            transitions += _pending[count].Transitions;
            count++;
        }
        List<RolloutSegment> batch = _pending.GetRange(0, count);
        _pending.RemoveRange(0, count);
        PendingTransitions -= transitions;
        return batch;
    }
}
