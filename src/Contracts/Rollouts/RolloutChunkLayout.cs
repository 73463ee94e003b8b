namespace MsMano.Contracts.Rollouts;

/// <summary>
/// Splits an actor's batch of agents into chunks that stay under a byte budget, so no rollout message comes near
/// Akka.Remote's maximum-frame-size (a frame above it is silently dropped). Splitting is by agents, never by
/// bytes, so each chunk is a self-contained set of whole trajectories the learner can use directly.
/// </summary>
public static class RolloutChunkLayout
{
    /// <summary>Budget for one chunk's blobs: under Akka's default 128,000-byte frame with room for the envelope.</summary>
    public const int DefaultBudgetBytes = 96 * 1024;

    /// <summary>Blob bytes one agent contributes to a chunk of <paramref name="steps"/> steps.</summary>
    public static long BytesPerAgent(int steps, int observationSize, int actionSize)
    {
        Validate(steps, observationSize, actionSize);
        long perStep = (sizeof(float) * ((long)observationSize + actionSize + 2)) + sizeof(byte);
        return (steps * perStep) + (sizeof(float) * (long)observationSize);
    }

    /// <summary>
    /// Agent ranges (first agent, count) covering <paramref name="agents"/> agents in as few chunks as fit the
    /// budget, balanced so chunks differ by at most one agent.
    /// </summary>
    public static IReadOnlyList<(int FirstAgent, int AgentCount)> Plan(
        int agents, int steps, int observationSize, int actionSize, int budgetBytes = DefaultBudgetBytes)
    {
        if (agents < 1 || agents > RolloutChunk.MaxAgents)
        {
            throw new ArgumentOutOfRangeException(nameof(agents), agents, $"agents must lie in [1, {RolloutChunk.MaxAgents}]");
        }
        long perAgent = BytesPerAgent(steps, observationSize, actionSize);
        if (budgetBytes < perAgent)
        {
            throw new ArgumentOutOfRangeException(
                nameof(budgetBytes), budgetBytes, $"budgetBytes must hold at least one agent ({perAgent} bytes for {steps} steps)");
        }

        int maxPerChunk = (int)Math.Min(agents, budgetBytes / perAgent);
        int chunks = (agents + maxPerChunk - 1) / maxPerChunk;
        var plan = new List<(int, int)>(chunks);
        int first = 0;
        for (int c = 0; c < chunks; c++)
        {
            // Spread the remainder over the first chunks so sizes stay within one agent of each other.
            int count = (agents / chunks) + (c < agents % chunks ? 1 : 0);
            plan.Add((first, count));
            first += count;
        }
        return plan;
    }

    private static void Validate(int steps, int observationSize, int actionSize)
    {
        if (steps < 1 || steps > RolloutChunk.MaxSteps)
        {
            throw new ArgumentOutOfRangeException(nameof(steps), steps, $"steps must lie in [1, {RolloutChunk.MaxSteps}]");
        }
        if (observationSize < 1 || observationSize > RolloutChunk.MaxObservationSize)
        {
            throw new ArgumentOutOfRangeException(
                nameof(observationSize), observationSize, $"observationSize must lie in [1, {RolloutChunk.MaxObservationSize}]");
        }
        if (actionSize < 1 || actionSize > RolloutChunk.MaxActionSize)
        {
            throw new ArgumentOutOfRangeException(nameof(actionSize), actionSize, $"actionSize must lie in [1, {RolloutChunk.MaxActionSize}]");
        }
    }
}
