using System.Globalization;

namespace MsMano.Learning.Ppo;

/// <summary>
/// The physical or defined range of every rollout field, checked before a segment can reach PPO: NaN/∞ are refused
/// by <see cref="RolloutSegment.Validate"/>, but a finite 1e30 reward or pose is just as fatal to the networks.
/// Observations have a bound per index (angles and rates differ); the bounds are generous, so only data that no
/// environment produces is refused. <see cref="Generic"/> suits any task; <see cref="IdNet"/> is IDNet's.
/// </summary>
public sealed record RolloutBounds
{
    /// <summary>Bounds loose enough for any of the project's tasks, tight enough to keep float32 sums finite.</summary>
    public static readonly RolloutBounds Generic = new()
    {
        RewardMin = -1e4f,
        RewardMax = 1e4f,
        ObservationAbsMax = [1e6f],
        ActionAbsMax = 1e4f,
        LogProbAbsMax = 1e6f,
    };

    /// <summary>Generous bound on a joint angle (rad): MANO's joint limits lie within ±π; simulated overshoot stays far below 4π.</summary>
    public const float IdNetAngleAbsMax = 4f * MathF.PI;

    /// <summary>Generous bound on a joint rate (rad/s): finger joints stay well under 100 rad/s.</summary>
    public const float IdNetRateAbsMax = 1e4f;

    public required float RewardMin { get; init; }

    public required float RewardMax { get; init; }

    /// <summary>|observation[i]| bound for index i; one value applies to every index.</summary>
    public required float[] ObservationAbsMax { get; init; }

    /// <summary>|raw action| bound: excitations are clip(a / 2 + 1/2, 0, 1) ∈ [0, 1] by construction, the raw samples are Gaussian.</summary>
    public required float ActionAbsMax { get; init; }

    /// <summary>|log π(a|s)| bound.</summary>
    public required float LogProbAbsMax { get; init; }

    /// <summary>
    /// IDNet: rewards exp(-w‖τ_pd − τ_m‖) ∈ [0, 1]; the observation is four equal blocks (pose, rate, target pose,
    /// target rate; see IdNetObservation), so blocks 0 and 2 hold angles and 1 and 3 rates.
    /// </summary>
    public static RolloutBounds IdNet(int observationSize)
    {
        if (observationSize <= 0 || observationSize % 4 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(observationSize), observationSize, "an IDNet observation is four equal blocks");
        }
        int block = observationSize / 4;
        float[] limits = new float[observationSize];
        for (int i = 0; i < observationSize; i++)
        {
            limits[i] = (i / block) % 2 == 0 ? IdNetAngleAbsMax : IdNetRateAbsMax;
        }
        return new RolloutBounds
        {
            RewardMin = 0f,
            RewardMax = 1f,
            ObservationAbsMax = limits,
            ActionAbsMax = 1e3f,
            LogProbAbsMax = 1e5f,
        };
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first field, index and value outside its range.</summary>
    public void Check(RolloutSegment segment, int observationSize)
    {
        ArgumentNullException.ThrowIfNull(segment);
        ReadOnlySpan<float> rewards = segment.Rewards.Span;
        for (int k = 0; k < rewards.Length; k++)
        {
            if (!(rewards[k] >= RewardMin && rewards[k] <= RewardMax))
            {
                throw Outside(nameof(RolloutSegment.Rewards), k, rewards[k], $"[{F(RewardMin)}, {F(RewardMax)}]");
            }
        }
        CheckObservations(nameof(RolloutSegment.Observations), segment.Observations.Span, observationSize);
        CheckObservations(nameof(RolloutSegment.NextObservations), segment.NextObservations.Span, observationSize);
        if (segment.FinalObservations is { } final)
        {
            CheckObservations(nameof(RolloutSegment.FinalObservations), final.Span, observationSize);
        }
        CheckAbs(nameof(RolloutSegment.Actions), segment.Actions.Span, ActionAbsMax);
        CheckAbs(nameof(RolloutSegment.LogProbs), segment.LogProbs.Span, LogProbAbsMax);
    }

    private void CheckObservations(string field, ReadOnlySpan<float> values, int observationSize)
    {
        float[] limits = ObservationAbsMax;
        for (int k = 0; k < values.Length; k++)
        {
            float limit = limits.Length == 1 ? limits[0] : limits[k % observationSize];
            if (!(Math.Abs(values[k]) <= limit))
            {
                throw Outside(field, k, values[k], $"±{F(limit)} (element {k % observationSize} of an observation)");
            }
        }
    }

    private static void CheckAbs(string field, ReadOnlySpan<float> values, float limit)
    {
        for (int k = 0; k < values.Length; k++)
        {
            if (!(Math.Abs(values[k]) <= limit))
            {
                throw Outside(field, k, values[k], $"±{F(limit)}");
            }
        }
    }

    private static ArgumentException Outside(string field, int index, float value, string range)
    {
        return new ArgumentException($"{field}[{index}] = {F(value)} is outside {range}", field);
    }

    private static string F(float value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
