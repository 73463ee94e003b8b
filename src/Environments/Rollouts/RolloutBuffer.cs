using MsMano.Contracts.Rollouts;

namespace MsMano.Environments.Rollouts;

/// <summary>
/// T control steps of N agents, struct-of-arrays and time-major (index = t * N + n), in exactly the layout of
/// <see cref="RolloutChunk"/> blobs and the learner's segments, so neither side reshuffles. Reused across
/// collections: a source overwrites every field.
/// </summary>
public sealed class RolloutBuffer
{
    public RolloutBuffer(int steps, int agents, int observationSize, int actionSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(agents);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(observationSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(actionSize);
        Steps = steps;
        Agents = agents;
        ObservationSize = observationSize;
        ActionSize = actionSize;
        Observations = new float[steps * agents * observationSize];
        Actions = new float[steps * agents * actionSize];
        LogProbs = new float[steps * agents];
        Rewards = new float[steps * agents];
        Flags = new TransitionFlags[steps * agents];
        NextObservations = new float[agents * observationSize];
    }

    public int Steps { get; }
    public int Agents { get; }
    public int ObservationSize { get; }
    public int ActionSize { get; }
    public int Transitions => Steps * Agents;

    /// <summary>Policy version that produced every action of this buffer.</summary>
    public long PolicyVersion { get; set; }

    /// <summary>Raw observations before each step, [T * N * obs].</summary>
    public float[] Observations { get; }
    /// <summary>Raw Gaussian action samples (before clipping to [-1, 1]), [T * N * act].</summary>
    public float[] Actions { get; }
    public float[] LogProbs { get; }
    public float[] Rewards { get; }
    /// <summary>End-of-episode flags. The environment auto-resets an agent after a flagged step.</summary>
    public TransitionFlags[] Flags { get; }
    /// <summary>Observation after the last step (after any auto-reset), [N * obs].</summary>
    public float[] NextObservations { get; }

    public double MeanReward()
    {
        double sum = 0;
        foreach (float r in Rewards)
        {
            sum += r;
        }
        return sum / Rewards.Length;
    }

    /// <summary>
    /// Splits the buffer by agents into chunks under the Akka frame budget (see <see cref="RolloutChunkLayout"/>);
    /// <paramref name="nextSequence"/> numbers them.
    /// </summary>
    public IReadOnlyList<RolloutChunk> ToChunks(string nodeId, int actorId, Func<long> nextSequence, int budgetBytes = RolloutChunkLayout.DefaultBudgetBytes)
    {
        ArgumentNullException.ThrowIfNull(nextSequence);
        IReadOnlyList<(int FirstAgent, int AgentCount)> plan = RolloutChunkLayout.Plan(Agents, Steps, ObservationSize, ActionSize, budgetBytes);
        var chunks = new List<RolloutChunk>(plan.Count);
        foreach ((int first, int count) in plan)
        {
            var header = new RolloutChunkHeader(nodeId, actorId, nextSequence(), PolicyVersion, first, count, Steps, ObservationSize, ActionSize);
            chunks.Add(RolloutChunk.Create(
                header,
                Gather(Observations, first, count, ObservationSize),
                Gather(Actions, first, count, ActionSize),
                Gather(LogProbs, first, count, 1),
                Gather(Rewards, first, count, 1),
                GatherFlags(first, count),
                NextObservations.AsSpan(first * ObservationSize, count * ObservationSize)));
        }
        return chunks;
    }

    // Time-major rows of a sub-range of agents: (t, n) -> (t, n - first).
    private float[] Gather(float[] source, int first, int count, int width)
    {
        if (first == 0 && count == Agents)
        {
            return source;
        }
        float[] result = new float[Steps * count * width];
        for (int t = 0; t < Steps; t++)
        {
            source.AsSpan(((t * Agents) + first) * width, count * width).CopyTo(result.AsSpan(t * count * width));
        }
        return result;
    }

    private TransitionFlags[] GatherFlags(int first, int count)
    {
        var result = new TransitionFlags[Steps * count];
        for (int t = 0; t < Steps; t++)
        {
            Flags.AsSpan((t * Agents) + first, count).CopyTo(result.AsSpan(t * count));
        }
        return result;
    }
}
