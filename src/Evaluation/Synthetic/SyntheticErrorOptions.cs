namespace MsMano.Evaluation.Synthetic;

/// <summary>
/// Parameters of the synthetic base-estimator error model (<see cref="BaseEstimatorErrorModel"/>). Angles are
/// radians, times are seconds (converted with the sequence's frame rate), probabilities are per frame.
/// Defaults give roughly 10-20 mm root-relative MPJPE on a typical hand, the range of published estimators.
/// </summary>
public sealed record SyntheticErrorOptions
{
    /// <summary>Seed of the random stream; the same seed and input give the same output.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Std. dev. of independent per-frame rotation noise on every joint (white jitter). Default 0.04 rad ≈ 2.3°.</summary>
    public double JitterStd { get; init; } = 0.04;

    /// <summary>Stationary std. dev. of the temporally correlated drift (Ornstein–Uhlenbeck) per joint and axis. Default 0.08 rad.</summary>
    public double DriftStd { get; init; } = 0.08;

    /// <summary>Correlation time of the drift: after this long the drift has forgotten 63% of its value. Default 0.5 s.</summary>
    public double DriftTimeConstant { get; init; } = 0.5;

    /// <summary>Expected occlusion bursts per second of video (Poisson rate). Default 0.3 /s.</summary>
    public double OcclusionRate { get; init; } = 0.3;

    /// <summary>Shortest and longest occlusion burst (seconds, uniform). Defaults 0.1-0.5 s.</summary>
    public double OcclusionMinDuration { get; init; } = 0.1;

    public double OcclusionMaxDuration { get; init; } = 0.5;

    /// <summary>Probability that a burst freezes the pose at its first frame (a tracker that lost the hand) instead of adding heavy noise.</summary>
    public double OcclusionFreezeProbability { get; init; } = 0.4;

    /// <summary>Std. dev. of the per-frame rotation noise inside a noisy burst. Default 0.25 rad ≈ 14°.</summary>
    public double OcclusionNoiseStd { get; init; } = 0.25;

    /// <summary>Probability per frame that an implausible twist starts on one random finger joint. Default 0.01.</summary>
    public double TwistProbability { get; init; } = 0.01;

    /// <summary>Twist angle magnitude range (radians, uniform, random sign). Defaults 0.6-1.4 rad (34-80°).</summary>
    public double TwistMinAngle { get; init; } = 0.6;

    public double TwistMaxAngle { get; init; } = 1.4;

    /// <summary>How long a twist persists (seconds, uniform between min and max). Defaults 0.1-0.3 s.</summary>
    public double TwistMinDuration { get; init; } = 0.1;

    public double TwistMaxDuration { get; init; } = 0.3;

    /// <summary>
    /// Bone axis per MANO joint [16 × 3] in the joint's local (rest) frame, about which twists turn.
    /// Null uses <see cref="BoneAxes.ApproximateMano"/>; pass <see cref="BoneAxes.FromRestKeypoints"/> of a
    /// real hand for exact axes.
    /// </summary>
    public double[]? BoneAxes { get; init; }

    /// <summary>Scale of jitter, drift and burst noise on the wrist (global rotation) relative to finger joints. Default 0.5.</summary>
    public double WristScale { get; init; } = 0.5;

    public void Validate()
    {
        Check(JitterStd >= 0, nameof(JitterStd), JitterStd);
        Check(DriftStd >= 0, nameof(DriftStd), DriftStd);
        Check(DriftTimeConstant > 0, nameof(DriftTimeConstant), DriftTimeConstant);
        Check(OcclusionRate >= 0, nameof(OcclusionRate), OcclusionRate);
        Check(OcclusionMinDuration > 0 && OcclusionMaxDuration >= OcclusionMinDuration, nameof(OcclusionMaxDuration), OcclusionMaxDuration);
        Check(OcclusionFreezeProbability is >= 0 and <= 1, nameof(OcclusionFreezeProbability), OcclusionFreezeProbability);
        Check(OcclusionNoiseStd >= 0, nameof(OcclusionNoiseStd), OcclusionNoiseStd);
        Check(TwistProbability is >= 0 and <= 1, nameof(TwistProbability), TwistProbability);
        Check(TwistMinAngle >= 0 && TwistMaxAngle >= TwistMinAngle, nameof(TwistMaxAngle), TwistMaxAngle);
        Check(TwistMinDuration > 0 && TwistMaxDuration >= TwistMinDuration, nameof(TwistMaxDuration), TwistMaxDuration);
        Check(WristScale >= 0, nameof(WristScale), WristScale);
        Check(BoneAxes is null || BoneAxes.Length == 48, nameof(BoneAxes), BoneAxes?.Length ?? 0);
    }

    private static void Check(bool ok, string name, double value)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(name, value, $"SyntheticErrorOptions.{name} = {value} is out of range.");
        }
    }
}
