namespace MsMano.Learning.DataParallel;

/// <summary>
/// Where this member's shard sits in the union batch (members in rank order), learned by one exchange of sizes.
/// Every member shuffles the union identically and keeps the rows that fall in its own range.
/// </summary>
public sealed class ShardLayout
{
    private ShardLayout(int[] sizes, int rank)
    {
        Sizes = sizes;
        Offset = sizes.AsSpan(0, rank).ToArray().Sum();
        Count = sizes[rank];
        Total = sizes.Sum();
    }

    public IReadOnlyList<int> Sizes { get; }

    /// <summary>First union row of this member's shard.</summary>
    public int Offset { get; }

    /// <summary>Rows in this member's shard.</summary>
    public int Count { get; }

    /// <summary>Rows in the union batch.</summary>
    public int Total { get; }

    /// <summary>Sums a one-hot size vector over the group, so every member learns every shard's size.</summary>
    public static ShardLayout Exchange(IAllReduce group, int localRows)
    {
        double[] sizes = new double[group.GroupSize];
        sizes[group.Rank] = localRows;
        group.Sum(sizes);
        int[] counts = new int[sizes.Length];
        for (int i = 0; i < sizes.Length; i++)
        {
            counts[i] = checked((int)sizes[i]);
        }
        var layout = new ShardLayout(counts, group.Rank);
        if (layout.Total == 0)
        {
            throw new ArgumentException("PpoLearner.Update: the group's batch holds no transitions.");
        }
        return layout;
    }

    /// <summary>The local row numbers of the union rows in <paramref name="unionRows"/> that belong to this shard.</summary>
    public long[] LocalRows(ReadOnlySpan<long> unionRows)
    {
        if (Count == Total)
        {
            return unionRows.ToArray();
        }
        int found = 0;
        foreach (long row in unionRows)
        {
            if (row >= Offset && row < Offset + Count)
            {
                found++;
            }
        }
        long[] local = new long[found];
        int k = 0;
        foreach (long row in unionRows)
        {
            if (row >= Offset && row < Offset + Count)
            {
                local[k++] = row - Offset;
            }
        }
        return local;
    }
}
