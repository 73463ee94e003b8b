namespace MsMano.Learning.DataParallel;

/// <summary>
/// Element-wise sum of a buffer over every member of a training group, in place; every member ends with the same
/// bits. Blocking: the PPO thread waits while the transport (an actor, a test's barrier) moves the data.
/// </summary>
public interface IAllReduce
{
    /// <summary>Members taking part, this one included.</summary>
    int GroupSize { get; }

    /// <summary>This member's position in the group, 0-based; shard offsets follow this order.</summary>
    int Rank { get; }

    void Sum(float[] buffer);

    void Sum(double[] buffer);

    /// <summary>
    /// Starts summing <paramref name="buffer"/> and returns at once, so the caller can compute while it moves; the
    /// buffer is not to be touched until <see cref="IPendingSum.Wait"/> returns. At most one sum is in flight: wait
    /// for it before starting the next. A transport without overlap sums here and returns a finished handle.
    /// </summary>
    IPendingSum BeginSum(float[] buffer)
    {
        Sum(buffer);
        return PendingSum.Completed;
    }
}

/// <summary>A sum started by <see cref="IAllReduce.BeginSum"/>: <see cref="Wait"/> blocks until the buffer holds it (or throws <see cref="ReductionAbortedException"/>).</summary>
public interface IPendingSum
{
    void Wait();
}

/// <summary>The handle of a sum that finished before <see cref="IAllReduce.BeginSum"/> returned.</summary>
public sealed class PendingSum : IPendingSum
{
    public static readonly PendingSum Completed = new();

    public void Wait()
    {
    }
}

/// <summary>A group of one: the central learner's update is the data-parallel update with nothing to exchange.</summary>
public sealed class SoloReduce : IAllReduce
{
    public static readonly SoloReduce Instance = new();

    public int GroupSize => 1;

    public int Rank => 0;

    public void Sum(float[] buffer)
    {
    }

    public void Sum(double[] buffer)
    {
    }
}

/// <summary>The reduction was abandoned (a member died, the coordinator re-planned): the update must be undone.</summary>
public sealed class ReductionAbortedException(string message) : Exception(message);
