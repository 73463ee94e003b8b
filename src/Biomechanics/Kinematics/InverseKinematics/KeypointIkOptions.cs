namespace MsMano.Biomechanics.Kinematics.InverseKinematics;

/// <summary>Settings of <see cref="KeypointInverseKinematics"/>; the defaults fit a clean 21-keypoint frame to well below 1 mm.</summary>
public sealed record KeypointIkOptions
{
    /// <summary>Accepted Levenberg-Marquardt steps at most, per frame.</summary>
    public int MaxIterations { get; init; } = 100;

    /// <summary>Stop when the largest angle change of an accepted step is below this (rad).</summary>
    public double StepTolerance { get; init; } = 1e-9;

    /// <summary>Stop when the RMS keypoint error is below this (m).</summary>
    public double ErrorTolerance { get; init; } = 1e-8;

    /// <summary>Starting Marquardt damping (relative to the Gauss-Newton diagonal).</summary>
    public double InitialDamping { get; init; } = 1e-3;

    /// <summary>Fitted angles stay this far inside the joint limits (rad; capped at a quarter of each range).</summary>
    public double LimitMargin { get; init; }

    /// <summary>
    /// Fit a uniform scale of the hand first (ratio of summed bone lengths): dataset hands are not the model's size,
    /// and without it the length mismatch leaks into the angles.
    /// </summary>
    public bool EstimateScale { get; init; }

    public void Validate()
    {
        if (MaxIterations < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "MaxIterations must be at least 1.");
        }
        Positive(StepTolerance, nameof(StepTolerance));
        Positive(ErrorTolerance, nameof(ErrorTolerance));
        Positive(InitialDamping, nameof(InitialDamping));
        if (!(LimitMargin >= 0) || !double.IsFinite(LimitMargin))
        {
            throw new ArgumentOutOfRangeException(nameof(LimitMargin), LimitMargin, "LimitMargin must be a finite number >= 0 (rad).");
        }
    }

    private static void Positive(double value, string name)
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a positive finite number.");
        }
    }
}
