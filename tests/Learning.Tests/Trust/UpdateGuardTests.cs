using MsMano.Contracts.Policy;
using MsMano.Learning.Bench;
using MsMano.Learning.Ppo;

namespace MsMano.Learning.Tests.Trust;

/// <summary>An update with a huge but finite reward must not turn the networks into NaN: it is refused and the last good state kept.</summary>
[Collection("Torch")]
public sealed class UpdateGuardTests
{
    private static readonly PpoConfig Config = new()
    {
        ObservationSize = 6,
        ActionSize = 3,
        Hidden = [16, 16],
        MinibatchSize = 32,
        Seed = 3,
        Device = "cpu",
    };

    [Theory]
    [InlineData(3e38f)]
    [InlineData(1e30f)]
    public void A_non_finite_update_is_refused_and_the_last_good_state_kept(float reward)
    {
        using var learner = new PpoLearner(Config);
        learner.Update(PpoBenchmark.SyntheticBatch(Config, 2, 8, 4, seed: 1));
        PolicySnapshot before = learner.ExportPolicy();
        double learningRate = learner.LearningRate;
        double[] normalizerMean = learner.Normalizer.Mean.ToArray();

        IReadOnlyList<RolloutSegment> poisoned = Poison(PpoBenchmark.SyntheticBatch(Config, 2, 8, 4, seed: 2), reward);
        UpdateRejectedException ex = Assert.Throws<UpdateRejectedException>(() => learner.Update(poisoned));
        Assert.Matches("loss|gradient", ex.Reason);

        Assert.Equal(1, learner.RejectedUpdates);
        Assert.Equal(1, learner.UpdateCount);
        Assert.Equal(1, learner.PolicyVersion);
        Assert.Equal(learningRate, learner.LearningRate);
        Assert.Equal(normalizerMean, learner.Normalizer.Mean.ToArray());
        PolicySnapshot after = learner.ExportPolicy();
        foreach (TensorBlob tensor in before.Tensors)
        {
            Assert.Equal(tensor.AsFloats(), after.Get(tensor.Name).AsFloats());
        }

        // Training goes on, with finite weights, from the state before the refused batch.
        UpdateStats next = learner.Update(PpoBenchmark.SyntheticBatch(Config, 2, 8, 4, seed: 3));
        Assert.Equal(2, next.PolicyVersion);
        Assert.True(double.IsFinite(next.ValueLoss) && double.IsFinite(next.PolicyLoss));
        foreach (TensorBlob tensor in learner.ExportPolicy().Tensors)
        {
            Assert.All(tensor.AsFloats().ToArray(), v => Assert.True(float.IsFinite(v), tensor.Name));
        }
    }

    [Fact]
    public void A_refused_update_leaves_the_learner_exactly_where_an_untouched_one_is()
    {
        using var guarded = new PpoLearner(Config);
        using var reference = new PpoLearner(Config);
        guarded.Update(PpoBenchmark.SyntheticBatch(Config, 2, 8, 4, seed: 1));
        reference.Update(PpoBenchmark.SyntheticBatch(Config, 2, 8, 4, seed: 1));
        Assert.Throws<UpdateRejectedException>(() => guarded.Update(Poison(PpoBenchmark.SyntheticBatch(Config, 2, 8, 4, seed: 2), 3e38f)));

        // Adam's moments and step count were restored too: the next update matches one that never saw the bad batch.
        UpdateStats a = guarded.Update(PpoBenchmark.SyntheticBatch(Config, 2, 8, 4, seed: 3));
        UpdateStats b = reference.Update(PpoBenchmark.SyntheticBatch(Config, 2, 8, 4, seed: 3));
        Assert.Equal(b.PolicyLoss, a.PolicyLoss, 6);
        Assert.Equal(b.ValueLoss, a.ValueLoss, 6);
        Assert.Equal(b.GradNorm, a.GradNorm, 6);
    }

    private static IReadOnlyList<RolloutSegment> Poison(IReadOnlyList<RolloutSegment> batch, float reward)
    {
        float[] rewards = batch[0].Rewards.ToArray();
        rewards[5] = reward;
        var first = new RolloutSegment
        {
            Steps = batch[0].Steps,
            Agents = batch[0].Agents,
            PolicyVersion = batch[0].PolicyVersion,
            Observations = batch[0].Observations,
            Actions = batch[0].Actions,
            LogProbs = batch[0].LogProbs,
            Rewards = rewards,
            Terminated = batch[0].Terminated,
            Truncated = batch[0].Truncated,
            NextObservations = batch[0].NextObservations,
        };
        return [first, .. batch.Skip(1)];
    }
}
