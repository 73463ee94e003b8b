using MsMano.Learning.Ppo;

namespace MsMano.Learning.Metrics;

/// <summary>The learner's standard tags for one PPO update: reward, losses, KL, learning rate, throughput.</summary>
public static class UpdateMetrics
{
    public const string MeanReward = "train/mean_reward";
    public const string PolicyLoss = "train/policy_loss";
    public const string ValueLoss = "train/value_loss";
    public const string Entropy = "train/entropy";
    public const string ApproxKl = "train/approx_kl";
    public const string ClipFraction = "train/clip_fraction";
    public const string ExplainedVariance = "train/explained_variance";
    public const string LearningRate = "train/learning_rate";
    public const string GradNorm = "train/grad_norm";
    public const string Transitions = "train/transitions";
    public const string UpdateSeconds = "perf/update_seconds";
    public const string TransitionsPerSecond = "perf/transitions_per_second";
    public const string PolicyLag = "perf/policy_lag";

    /// <summary>The update's sample at step = update index, with <paramref name="extra"/> appended.</summary>
    public static MetricsSample Sample(UpdateStats stats, long totalTransitions, params Metric[] extra)
    {
        ArgumentNullException.ThrowIfNull(stats);
        var values = new List<Metric>(13 + extra.Length)
        {
            new(MeanReward, stats.MeanReward),
            new(PolicyLoss, stats.PolicyLoss),
            new(ValueLoss, stats.ValueLoss),
            new(Entropy, stats.Entropy),
            new(ApproxKl, stats.ApproxKl),
            new(ClipFraction, stats.ClipFraction),
            new(ExplainedVariance, stats.ExplainedVariance),
            new(LearningRate, stats.LearningRate),
            new(GradNorm, stats.GradNorm),
            new(Transitions, totalTransitions),
            new(UpdateSeconds, stats.Seconds),
            new(TransitionsPerSecond, stats.TransitionsPerSecond),
            new(PolicyLag, stats.MaxPolicyLag),
        };
        values.AddRange(extra);
        return new MetricsSample(stats.UpdateIndex, values);
    }
}
