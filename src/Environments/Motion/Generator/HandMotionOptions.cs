namespace MsMano.Environments.Motion.Generator;

/// <summary>Settings of <see cref="HandMotionGenerator"/>; every number has a default and is checked by <see cref="Validate"/>.</summary>
public sealed record HandMotionOptions
{
    public static readonly IReadOnlyList<HandMotionKind> AllKinds =
        [HandMotionKind.Grasp, HandMotionKind.Tapping, HandMotionKind.Pinch, HandMotionKind.Free];

    /// <summary>Frames per second of the produced motions (datasets run at 30; the 50 Hz control step interpolates).</summary>
    public double Fps { get; init; } = 30;

    /// <summary>Length of one clip (s).</summary>
    public double ClipSeconds { get; init; } = 4;

    /// <summary>Kinds in the mix, drawn in balanced rounds (each kind once per round, shuffled).</summary>
    public IReadOnlyList<HandMotionKind> Kinds { get; init; } = AllKinds;

    /// <summary>Angles stay this far inside every joint limit (rad; capped at a quarter of the range of each dof).</summary>
    public double LimitMargin { get; init; } = 0.02;

    /// <summary>DIP flexion = ratio x PIP flexion, the ratio drawn per finger and clip from [min, max].</summary>
    public double DipPipRatioMin { get; init; } = 0.6;

    public double DipPipRatioMax { get; init; } = 0.8;

    /// <summary>Largest wrist (root) rotation about each axis (rad). Zero keeps the wrist still, as in the paper's experiments.</summary>
    public double WristAmplitude { get; init; }

    /// <summary>Multiplies every move and hold duration: above 1 gives slower motion.</summary>
    public double TimeScale { get; init; } = 1;

    /// <summary>Clip names are "&lt;prefix&gt;-&lt;kind&gt;-&lt;index&gt;".</summary>
    public string NamePrefix { get; init; } = "synthetic";

    public void Validate()
    {
        if (!(Fps >= 1 && Fps <= 1000))
        {
            throw new ArgumentOutOfRangeException(nameof(Fps), Fps, "Fps must be in [1, 1000] frames per second (30-100 is typical).");
        }
        if (!(ClipSeconds > 0) || !double.IsFinite(ClipSeconds) || ClipSeconds * Fps < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ClipSeconds), ClipSeconds, "ClipSeconds must be positive and span at least two frames.");
        }
        ArgumentNullException.ThrowIfNull(Kinds, nameof(Kinds));
        if (Kinds.Count == 0 || Kinds.Any(k => !Enum.IsDefined(k)) || Kinds.Distinct().Count() != Kinds.Count)
        {
            throw new ArgumentException($"Kinds must list distinct motion kinds ({string.Join(", ", AllKinds)}), got [{string.Join(", ", Kinds)}].", nameof(Kinds));
        }
        if (!(LimitMargin >= 0 && LimitMargin <= 0.2))
        {
            throw new ArgumentOutOfRangeException(nameof(LimitMargin), LimitMargin, "LimitMargin must be in [0, 0.2] rad.");
        }
        if (!(DipPipRatioMin > 0 && DipPipRatioMin <= DipPipRatioMax && DipPipRatioMax <= 1.2))
        {
            throw new ArgumentOutOfRangeException(nameof(DipPipRatioMin), $"{DipPipRatioMin}..{DipPipRatioMax}", "DIP/PIP ratios need 0 < min <= max <= 1.2.");
        }
        if (!(WristAmplitude >= 0 && WristAmplitude <= 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(WristAmplitude), WristAmplitude, "WristAmplitude must be in [0, 1] rad.");
        }
        if (!(TimeScale >= 0.25 && TimeScale <= 10))
        {
            throw new ArgumentOutOfRangeException(nameof(TimeScale), TimeScale, "TimeScale must be in [0.25, 10].");
        }
        if (string.IsNullOrWhiteSpace(NamePrefix))
        {
            throw new ArgumentException("NamePrefix must not be empty.", nameof(NamePrefix));
        }
    }
}
