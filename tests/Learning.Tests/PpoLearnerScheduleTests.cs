using MsMano.Learning.Bench;
using MsMano.Learning.Ppo;

namespace MsMano.Learning.Tests;

[Collection("Torch")]
public sealed class PpoLearnerScheduleTests
{
    private static readonly PpoConfig Config = new()
    {
        ObservationSize = 6,
        ActionSize = 2,
        Hidden = [16, 16],
        MinibatchSize = 16,
        Epochs = 4,
        LearningRate = 1e-2,
        Seed = 3,
        Device = "cpu",
    };

    private static IReadOnlyList<RolloutSegment> Batch() => PpoBenchmark.SyntheticBatch(Config, segments: 2, agents: 8, steps: 4, seed: 7);

    [Fact]
    public void A_kl_far_above_target_divides_the_learning_rate_by_1_5_every_epoch()
    {
        using var learner = new PpoLearner(Config with { TargetKl = 1e-9 });
        UpdateStats stats = learner.Update(Batch());
        Assert.True(stats.ApproxKl > 2e-9, $"KL {stats.ApproxKl}");
        Assert.Equal(1e-2 / Math.Pow(1.5, 4), stats.LearningRate, 12);
        Assert.Equal(stats.LearningRate, learner.LearningRate);
    }

    [Fact]
    public void A_kl_far_below_target_grows_the_learning_rate_up_to_its_clamp()
    {
        using var learner = new PpoLearner(Config with { LearningRate = 1e-4, TargetKl = 1e3 });
        UpdateStats stats = learner.Update(Batch());
        Assert.Equal(1e-4 * Math.Pow(1.5, 4), stats.LearningRate, 12);
        for (int i = 0; i < 10; i++)
        {
            stats = learner.Update(Batch());
        }
        Assert.Equal(Config.MaxLearningRate, stats.LearningRate, 12);
    }

    [Fact]
    public void With_the_schedule_off_the_learning_rate_stays_put_and_value_clipping_runs()
    {
        using var learner = new PpoLearner(Config with { AdaptiveLearningRate = false, TargetKl = 1e-9, ValueClipRange = 0.2 });
        UpdateStats stats = learner.Update(Batch());
        Assert.Equal(1e-2, stats.LearningRate);
        Assert.True(double.IsFinite(stats.ValueLoss) && stats.ValueLoss > 0);
        Assert.InRange(stats.ClipFraction, 0.0, 1.0);
        Assert.True(stats.GradNorm > 0);
        Assert.Equal(64, stats.Transitions);
        Assert.Equal(64, learner.TotalTransitions);
    }
}
