using MsMano.Learning.Bench;
using MsMano.Learning.Ppo;

namespace MsMano.Learning.Tests.Trust;

public sealed class RolloutBoundsTests
{
    private static readonly PpoConfig Config = new() { ObservationSize = 8, ActionSize = 3, Hidden = [8], Device = "cpu" };

    [Theory]
    [InlineData(3e38f)]
    [InlineData(1e30f)]
    [InlineData(-0.5f)]
    [InlineData(1.5f)]
    public void An_idnet_reward_outside_0_1_is_refused_naming_field_index_and_value(float reward)
    {
        RolloutSegment segment = With(Batch(), rewards: r => r[7] = reward);
        ArgumentException ex = Assert.Throws<ArgumentException>(() => RolloutBounds.IdNet(Config.ObservationSize).Check(segment, Config.ObservationSize));
        Assert.Contains("Rewards[7]", ex.Message);
        Assert.Contains("[0, 1]", ex.Message);
    }

    [Fact]
    public void Angles_rates_actions_and_log_probs_are_bounded()
    {
        var bounds = RolloutBounds.IdNet(Config.ObservationSize);
        // Element 0 is an angle (block 0), element 2 a rate (block 1) for an 8-number observation.
        Assert.Throws<ArgumentException>(() => bounds.Check(With(Batch(), observations: o => o[8] = 20f), Config.ObservationSize));
        bounds.Check(With(Batch(), observations: o => o[10] = 20f), Config.ObservationSize);
        ArgumentException rate = Assert.Throws<ArgumentException>(() => bounds.Check(With(Batch(), observations: o => o[10] = 1e30f), Config.ObservationSize));
        Assert.Contains("Observations[10]", rate.Message);
        Assert.Throws<ArgumentException>(() => bounds.Check(With(Batch(), actions: a => a[1] = 1e30f), Config.ObservationSize));
        Assert.Throws<ArgumentException>(() => bounds.Check(With(Batch(), logProbs: l => l[0] = -1e30f), Config.ObservationSize));
        Assert.Throws<ArgumentException>(() => RolloutBounds.Generic.Check(With(Batch(), rewards: r => r[0] = 1e30f), Config.ObservationSize));
    }

    [Fact]
    public void Well_formed_rollouts_pass()
    {
        RolloutBounds.IdNet(Config.ObservationSize).Check(Batch(), Config.ObservationSize);
        RolloutBounds.Generic.Check(Batch(), Config.ObservationSize);
    }

    private static RolloutSegment Batch() => PpoBenchmark.SyntheticBatch(Config, 1, 4, 3, seed: 1)[0];

    private static RolloutSegment With(RolloutSegment s, Action<float[]>? rewards = null, Action<float[]>? observations = null, Action<float[]>? actions = null, Action<float[]>? logProbs = null)
    {
        float[] r = s.Rewards.ToArray(), o = s.Observations.ToArray(), a = s.Actions.ToArray(), l = s.LogProbs.ToArray();
        rewards?.Invoke(r);
        observations?.Invoke(o);
        actions?.Invoke(a);
        logProbs?.Invoke(l);
        return new RolloutSegment
        {
            Steps = s.Steps, Agents = s.Agents, PolicyVersion = s.PolicyVersion, Observations = o, Actions = a, LogProbs = l,
            Rewards = r, Terminated = s.Terminated, Truncated = s.Truncated, NextObservations = s.NextObservations,
        };
    }
}
