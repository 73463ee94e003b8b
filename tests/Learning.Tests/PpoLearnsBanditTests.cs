using MsMano.Learning.Ppo;
using Xunit.Abstractions;

namespace MsMano.Learning.Tests;

[Collection("Torch")]
public sealed class PpoLearnsBanditTests
{
    private readonly ITestOutputHelper _output;

    public PpoLearnsBanditTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public void Mean_reward_rises_from_below_0_4_to_above_0_8_on_a_target_matching_bandit()
    {
        var bandit = new TargetMatchingBandit(seed: 11);
        var actionRng = new Random(5);
        using var learner = new PpoLearner(TargetMatchingBandit.Config(seed: 3));

        IReadOnlyList<RolloutSegment> first = Batch(bandit, learner, actionRng);
        double initialReward = first.Average(s => s.Rewards.ToArray().Average());
        UpdateStats? stats = learner.Update(first);
        for (int update = 1; update < 60; update++)
        {
            stats = learner.Update(Batch(bandit, learner, actionRng));
            if (update % 10 == 0)
            {
                _output.WriteLine($"update {update}: reward {stats.MeanReward:F3} kl {stats.ApproxKl:F4} lr {stats.LearningRate:E2} ev {stats.ExplainedVariance:F2} entropy {stats.Entropy:F2}");
            }
        }
        IReadOnlyList<RolloutSegment> final = Batch(bandit, learner, actionRng);
        double finalReward = final.Average(s => s.Rewards.ToArray().Average());
        _output.WriteLine($"initial {initialReward:F3} final {finalReward:F3}");

        Assert.True(initialReward < 0.4, $"the untrained policy already scores {initialReward:F3}; the test would prove nothing");
        Assert.True(finalReward > 0.8, $"PPO did not learn: mean reward {initialReward:F3} -> {finalReward:F3}");
        Assert.True(stats!.ApproxKl >= 0 && double.IsFinite(stats.PolicyLoss) && double.IsFinite(stats.ValueLoss));
        Assert.Equal(60, learner.PolicyVersion);
    }

    [Fact]
    public void Value_net_learns_an_observation_dependent_return()
    {
        // Reward = x0 whatever the action: the value of a state is exactly x0, so explained variance must approach 1.
        var bandit = new TargetMatchingBandit(seed: 21);
        var actionRng = new Random(6);
        using var learner = new PpoLearner(TargetMatchingBandit.Config(seed: 4));
        UpdateStats? stats = null;
        for (int update = 0; update < 30; update++)
        {
            var batch = Enumerable.Range(0, 4).Select(_ =>
            {
                RolloutSegment segment = bandit.Collect(learner, 128, actionRng);
                float[] obs = segment.Observations.ToArray();
                float[] rewards = new float[segment.Agents];
                for (int i = 0; i < rewards.Length; i++)
                {
                    rewards[i] = obs[i * TargetMatchingBandit.ObservationSize];
                }
                return new RolloutSegment
                {
                    Steps = 1, Agents = segment.Agents, PolicyVersion = segment.PolicyVersion,
                    Observations = segment.Observations, Actions = segment.Actions, LogProbs = segment.LogProbs,
                    Rewards = rewards, Terminated = segment.Terminated, Truncated = segment.Truncated,
                    NextObservations = segment.NextObservations,
                };
            }).ToList();
            stats = learner.Update(batch);
        }
        _output.WriteLine($"explained variance {stats!.ExplainedVariance:F3}");
        Assert.True(stats.ExplainedVariance > 0.9, $"explained variance {stats.ExplainedVariance:F3}");
        float[] probe = new float[] { 0.8f, 0.0f, -0.5f, 0.3f };
        float[] values = learner.PredictValue(probe);
        Assert.InRange(values[0], 0.6f, 1.0f);
        Assert.InRange(values[1], -0.7f, -0.3f);
    }

    private static IReadOnlyList<RolloutSegment> Batch(TargetMatchingBandit bandit, PpoLearner learner, Random rng) =>
        Enumerable.Range(0, 4).Select(_ => bandit.Collect(learner, 128, rng)).ToList();
}
