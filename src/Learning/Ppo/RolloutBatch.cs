namespace MsMano.Learning.Ppo;

/// <summary>Validated segments concatenated into flat arrays, row = segment offset + t · N + i.</summary>
internal sealed class RolloutBatch
{
    private RolloutBatch(int transitions, int observationSize, int actionSize, int nextRows, int[] finalRows)
    {
        Transitions = transitions;
        Observations = new float[transitions * observationSize];
        Actions = new float[transitions * actionSize];
        LogProbs = new float[transitions];
        NextObservations = new float[nextRows * observationSize];
        FinalRows = finalRows;
        FinalObservations = new float[finalRows.Length * observationSize];
    }

    public int Transitions { get; }

    public float[] Observations { get; }

    public float[] Actions { get; }

    public float[] LogProbs { get; }

    /// <summary>One row per agent per segment, in segment order.</summary>
    public float[] NextObservations { get; }

    /// <summary>Batch rows of truncated (not terminated) steps, whose final observation needs a value.</summary>
    public int[] FinalRows { get; }

    /// <summary>Final observations, one row per entry of <see cref="FinalRows"/>.</summary>
    public float[] FinalObservations { get; }

    /// <summary>Sum of the per-step rewards (the group's mean reward is the sum of these over the sum of sizes).</summary>
    public double RewardSum { get; private set; }

    public static RolloutBatch Gather(IReadOnlyList<RolloutSegment> segments, int observationSize, int actionSize)
    {
        int transitions = 0;
        int nextRows = 0;
        var finalRows = new List<int>();
        foreach (RolloutSegment segment in segments)
        {
            ReadOnlySpan<bool> terminated = segment.Terminated.Span;
            ReadOnlySpan<bool> truncated = segment.Truncated.Span;
            for (int k = 0; k < segment.Transitions; k++)
            {
                if (truncated[k] && !terminated[k])
                {
                    finalRows.Add(transitions + k);
                }
            }
            transitions += segment.Transitions;
            nextRows += segment.Agents;
        }

        var batch = new RolloutBatch(transitions, observationSize, actionSize, nextRows, finalRows.ToArray());
        int row = 0;
        int agentRow = 0;
        int finalIndex = 0;
        double rewardSum = 0;
        foreach (RolloutSegment segment in segments)
        {
            int n = segment.Transitions;
            segment.Observations.Span.CopyTo(batch.Observations.AsSpan(row * observationSize));
            segment.Actions.Span.CopyTo(batch.Actions.AsSpan(row * actionSize));
            segment.LogProbs.Span.CopyTo(batch.LogProbs.AsSpan(row));
            segment.NextObservations.Span.CopyTo(batch.NextObservations.AsSpan(agentRow * observationSize));
            foreach (float r in segment.Rewards.Span)
            {
                rewardSum += r;
            }
            while (finalIndex < batch.FinalRows.Length && batch.FinalRows[finalIndex] < row + n)
            {
                int local = batch.FinalRows[finalIndex] - row;
                segment.FinalObservations!.Value.Span.Slice(local * observationSize, observationSize)
                    .CopyTo(batch.FinalObservations.AsSpan(finalIndex * observationSize));
                finalIndex++;
            }
            row += n;
            agentRow += segment.Agents;
        }
        batch.RewardSum = rewardSum;
        return batch;
    }
}
