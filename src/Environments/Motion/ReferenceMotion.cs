using MsMano.Biomechanics.Kinematics;
using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Biomechanics.Model;

namespace MsMano.Environments.Motion;

/// <summary>
/// A reference hand trajectory in the simulator's own coordinates: per frame the 45 joint angles (MANO joints 1-15,
/// three anatomical axes each, radians; dof = 3 (joint - 1) + axis) and the wrist's axis-angle orientation (3, radians,
/// for the 192-number observation; zero when the source has none). Frames are uniformly spaced at <see cref="Fps"/>;
/// <see cref="Sample"/> interpolates at any time so the 50 Hz control step can walk 30-100 Hz sources.
/// </summary>
public sealed class ReferenceMotion
{
    public const int DofCount = HandModel.DofCount;

    private readonly float[] _angles;
    private readonly float[] _root;

    public ReferenceMotion(string name, float[] angles, float[]? rootRotations, double fps, bool synthetic)
    {
        ArgumentNullException.ThrowIfNull(angles);
        if (angles.Length == 0 || angles.Length % DofCount != 0)
        {
            throw new ArgumentException($"motion '{name}': {angles.Length} angles are not whole frames of {DofCount}.", nameof(angles));
        }
        if (!(fps > 0) || !double.IsFinite(fps))
        {
            throw new ArgumentOutOfRangeException(nameof(fps), fps, $"motion '{name}': frame rate must be positive.");
        }
        int frames = angles.Length / DofCount;
        if (frames < 2)
        {
            throw new ArgumentException($"motion '{name}': needs at least 2 frames to define velocities, has {frames}.", nameof(angles));
        }
        if (rootRotations is not null && rootRotations.Length != frames * 3)
        {
            throw new ArgumentException($"motion '{name}': root rotations hold {rootRotations.Length} numbers, expected {frames * 3}.", nameof(rootRotations));
        }
        int bad = FirstNonFinite(angles);
        if (bad >= 0)
        {
            throw new ArgumentException($"motion '{name}': angle of frame {bad / DofCount}, dof {bad % DofCount} is {angles[bad]}.", nameof(angles));
        }
        Name = name;
        Fps = fps;
        Synthetic = synthetic;
        _angles = angles;
        _root = rootRotations ?? new float[frames * 3];
    }

    public string Name { get; }
    public double Fps { get; }
    public bool Synthetic { get; }
    public int Frames => _angles.Length / DofCount;
    /// <summary>Length in seconds from the first to the last frame.</summary>
    public double Duration => (Frames - 1) / Fps;

    public ReadOnlySpan<float> Angles => _angles;
    public ReadOnlySpan<float> FrameAngles(int frame) => _angles.AsSpan(frame * DofCount, DofCount);
    public ReadOnlySpan<float> RootRotation(int frame) => _root.AsSpan(frame * 3, 3);

    /// <summary>
    /// Angles and angular rates at time <paramref name="t"/> (s, clamped to the clip): linear interpolation between
    /// frames, rate = the slope of the segment holding t (what a finite-difference of the recording gives).
    /// </summary>
    public void Sample(double t, Span<float> angles, Span<float> velocities, Span<float> root, Span<float> rootVelocity)
    {
        double x = Math.Clamp(t * Fps, 0, Frames - 1);
        int f0 = Math.Min((int)x, Frames - 2);
        float u = (float)(x - f0);
        float rate = (float)Fps;
        Lerp(_angles.AsSpan(f0 * DofCount, DofCount), _angles.AsSpan((f0 + 1) * DofCount, DofCount), u, rate, angles, velocities);
        Lerp(_root.AsSpan(f0 * 3, 3), _root.AsSpan((f0 + 1) * 3, 3), u, rate, root, rootVelocity);
    }

    /// <summary>Builds a motion from MANO axis-angle poses (frames x 48, wrist first) via the model's joint frames.</summary>
    public static ReferenceMotion FromManoPoses(HandKinematics kinematics, string name, ReadOnlySpan<float> poses, double fps, bool synthetic)
    {
        int poseLength = HandKinematics.PoseLength;
        if (poses.Length == 0 || poses.Length % poseLength != 0)
        {
            throw new ArgumentException($"motion '{name}': {poses.Length} numbers are not whole MANO poses of {poseLength}.", nameof(poses));
        }
        int frames = poses.Length / poseLength;
        float[] angles = new float[frames * DofCount];
        float[] root = new float[frames * 3];
        double[] pose = new double[poseLength];
        for (int f = 0; f < frames; f++)
        {
            for (int k = 0; k < poseLength; k++)
            {
                pose[k] = poses[f * poseLength + k];
            }
            double[] a = kinematics.AnglesFromPose(pose);
            for (int d = 0; d < DofCount; d++)
            {
                angles[f * DofCount + d] = (float)a[d];
            }
            root[f * 3] = (float)pose[0];
            root[f * 3 + 1] = (float)pose[1];
            root[f * 3 + 2] = (float)pose[2];
        }
        return new ReferenceMotion(name, angles, root, fps, synthetic);
    }

    /// <summary>MANO axis-angle pose (48) of one frame, the inverse of <see cref="FromManoPoses"/>.</summary>
    public void ManoPose(HandKinematics kinematics, int frame, Span<float> pose)
    {
        double[] a = new double[DofCount];
        for (int d = 0; d < DofCount; d++)
        {
            a[d] = _angles[frame * DofCount + d];
        }
        ReadOnlySpan<float> r = RootRotation(frame);
        double[] p = kinematics.PoseFromAngles(a, new Vec3(r[0], r[1], r[2]));
        for (int k = 0; k < p.Length; k++)
        {
            pose[k] = (float)p[k];
        }
    }

    private static void Lerp(ReadOnlySpan<float> a, ReadOnlySpan<float> b, float u, float rate, Span<float> value, Span<float> slope)
    {
        for (int k = 0; k < a.Length; k++)
        {
            value[k] = a[k] + (u * (b[k] - a[k]));
            slope[k] = (b[k] - a[k]) * rate;
        }
    }

    private static int FirstNonFinite(float[] values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return i;
            }
        }
        return -1;
    }
}
