using MsMano.Learning.Metrics;

namespace MsMano.Learning.Training;

/// <summary>One row of the training history: an update and the collection before it.</summary>
public sealed record TrainingRecord(
    long Update,
    long Transitions,
    double ElapsedSeconds,
    double MeanReward,
    double MeanTorqueGap,
    double CollectSeconds,
    double UpdateSeconds,
    double PolicyLoss,
    double ValueLoss,
    double ApproxKl,
    double ExplainedVariance,
    double LearningRate,
    double Entropy)
{
    public const string CsvHeader = "update,transitions,elapsed_s,mean_reward,mean_torque_gap_nm,collect_s,update_s,policy_loss,value_loss,approx_kl,explained_variance,learning_rate,entropy";

    public const string ElapsedTag = "time/elapsed_seconds";
    public const string TorqueGapTag = "env/torque_gap_nm";
    public const string CollectTag = "perf/collect_seconds";

    /// <summary>The row of one update's metrics sample (the trainer's <see cref="UpdateMetrics"/> plus the tags above).</summary>
    public static TrainingRecord From(MetricsSample s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new TrainingRecord(
            s.Step, (long)s[UpdateMetrics.Transitions], s[ElapsedTag], s[UpdateMetrics.MeanReward], s[TorqueGapTag], s[CollectTag],
            s[UpdateMetrics.UpdateSeconds], s[UpdateMetrics.PolicyLoss], s[UpdateMetrics.ValueLoss], s[UpdateMetrics.ApproxKl],
            s[UpdateMetrics.ExplainedVariance], s[UpdateMetrics.LearningRate], s[UpdateMetrics.Entropy]);
    }

    public string ToCsv() => string.Join(',',
        Update, Transitions, F(ElapsedSeconds), F(MeanReward), F(MeanTorqueGap), F(CollectSeconds), F(UpdateSeconds),
        F(PolicyLoss), F(ValueLoss), F(ApproxKl), F(ExplainedVariance), F(LearningRate), F(Entropy));

    private static string F(double v) => v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);
}
