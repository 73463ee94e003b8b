using MsMano.Biomechanics.Kinematics;
using MsMano.Biomechanics.Model;

namespace MsMano.Environments.Motion.Generator;

/// <summary>
/// Everything one clip is built from: its random stream, the joint limits with margin, the hand's "personality" for the
/// clip (a DIP/PIP ratio per finger and a relaxed posture), and the key-pose track the episodes append to.
/// </summary>
internal sealed class ClipContext
{
    private readonly HandMotionOptions _options;
    private readonly double[] _dipRatio = new double[4];

    public ClipContext(HandMotionOptions options, DofLimits limits, ThumbPlacer thumb, Random rng)
    {
        _options = options;
        Limits = limits;
        Thumb = thumb;
        Rng = rng;
        foreach (Finger f in Fingers.All)
        {
            _dipRatio[(int)f] = Uniform(options.DipPipRatioMin, options.DipPipRatioMax);
        }
        Relaxed = new double[HandModel.DofCount];
        Limits.Clamp(Relaxed);
        foreach (Finger f in Fingers.All)
        {
            // A resting hand is slightly flexed, the ulnar fingers a little more (the resting cascade).
            double cascade = 0.06 * (int)f;
            SetFinger(Relaxed, f, Uniform(0.1, 0.3) + cascade, Uniform(0.15, 0.35) + cascade, Uniform(-0.05, 0.05));
        }
        Set(Relaxed, Fingers.ThumbFirstDof, Uniform(0.0, 0.15));
        Set(Relaxed, Fingers.ThumbFirstDof + 3, Uniform(0.0, 0.15));
        Set(Relaxed, Fingers.ThumbFirstDof + 6, Uniform(0.1, 0.3));
        Track = new KeyPoseTrack(Relaxed);
    }

    public Random Rng { get; }

    public DofLimits Limits { get; }

    public ThumbPlacer Thumb { get; }

    public double[] Relaxed { get; }

    public KeyPoseTrack Track { get; }

    public double DipRatio(Finger finger) => _dipRatio[(int)finger];

    public double Uniform(double lo, double hi) => lo + ((hi - lo) * Rng.NextDouble());

    /// <summary>A duration drawn from [lo, hi] seconds, stretched by the TimeScale option.</summary>
    public double Seconds(double lo, double hi) => _options.TimeScale * Uniform(lo, hi);

    public double[] RelaxedCopy() => (double[])Relaxed.Clone();

    /// <summary>Sets one dof, clamped into the limits with margin.</summary>
    public void Set(double[] pose, int dof, double value) => pose[dof] = Limits.Clamp(dof, value);

    /// <summary>
    /// Sets a finger's MCP flexion and abduction and its PIP flexion, with DIP = ratio x PIP (the coupling of the
    /// oblique retinacular ligament). PIP is clamped to the range where both PIP and the coupled DIP fit the limits,
    /// so clamping never breaks the coupling.
    /// </summary>
    public void SetFinger(double[] pose, Finger finger, double mcp, double pip, double abduction)
    {
        int mcpJoint = Fingers.McpJoint(finger);
        int m = (mcpJoint - 1) * 3, p = mcpJoint * 3, d = (mcpJoint + 1) * 3;
        double ratio = DipRatio(finger);
        Set(pose, m, mcp);
        Set(pose, m + 1, abduction);
        double lo = Math.Max(Limits.Lower(p), Limits.Lower(d) / ratio);
        double hi = Math.Min(Limits.Upper(p), Limits.Upper(d) / ratio);
        pose[p] = Math.Clamp(pip, lo, hi);
        pose[d] = ratio * pose[p];
    }

    public double Mcp(double[] pose, Finger finger) => pose[(Fingers.McpJoint(finger) - 1) * 3];

    public double Pip(double[] pose, Finger finger) => pose[Fingers.McpJoint(finger) * 3];

    public double Abduction(double[] pose, Finger finger) => pose[((Fingers.McpJoint(finger) - 1) * 3) + 1];
}
