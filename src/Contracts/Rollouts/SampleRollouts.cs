namespace MsMano.Contracts.Rollouts;

/// <summary>Deterministic, realistically sized rollout chunks for benchmarks and tests on every project.</summary>
public static class SampleRollouts
{
    public static RolloutChunk Create(
        int agents, int steps, int observationSize, int actionSize, int seed, string nodeId = "sim-0", int actorId = 0, long sequence = 0)
    {
        var random = new Random(seed);
        int transitions = agents * steps;
        float[] observations = Fill(random, transitions * observationSize, 1.0f);
        float[] actions = Fill(random, transitions * actionSize, 2.0f);
        float[] logProbs = Fill(random, transitions, 10.0f);
        float[] rewards = Fill(random, transitions, 1.0f);
        var flags = new TransitionFlags[transitions];
        for (int i = 0; i < flags.Length; i++)
        {
            // Roughly one episode end in 50 transitions, both kinds.
            int roll = random.Next(100);
            flags[i] = roll == 0 ? TransitionFlags.Terminated : roll == 1 ? TransitionFlags.Truncated : TransitionFlags.None;
        }
        float[] next = Fill(random, agents * observationSize, 1.0f);
        var header = new RolloutChunkHeader(nodeId, actorId, sequence, 3, 0, agents, steps, observationSize, actionSize);
        return RolloutChunk.Create(header, observations, actions, logProbs, rewards, flags, next);
    }

    private static float[] Fill(Random random, int count, float scale)
    {
        float[] values = new float[count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2.0) - 1.0) * scale;
        }
        return values;
    }
}
