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
