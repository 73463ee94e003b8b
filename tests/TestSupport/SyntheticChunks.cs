using MsMano.Contracts.Rollouts;
using MsMano.Environments.Rollouts;
using MsMano.Environments.Synthetic;

namespace MsMano.TestSupport;

/// <summary>Rollout chunks as a simulation node sends them, from the synthetic target-tracking task: 8 agents x 1 step.</summary>
public static class SyntheticChunks
{
    public const int Agents = 8;

    /// <summary>
    /// One chunk of <paramref name="nodeId"/>'s actor 0, acted at <paramref name="policyVersion"/>, reproducible per
    /// <paramref name="sequence"/>; <paramref name="poisonReward"/> replaces one agent's reward (a poisoned chunk).
    /// </summary>
    public static RolloutChunk Create(string nodeId, long sequence, long policyVersion, int observationSize, int actionSize, float? poisonReward = null)
    {
        using var source = new TargetTrackingSource(Agents, observationSize, actionSize, seed: (int)sequence + 1);
        var buffer = new RolloutBuffer(1, Agents, observationSize, actionSize);
        source.Collect(buffer);
        if (poisonReward is float reward)
        {
            buffer.Rewards[3] = reward;
        }
        buffer.PolicyVersion = policyVersion;
        return buffer.ToChunks(nodeId, 0, () => sequence).Single();
    }
}
