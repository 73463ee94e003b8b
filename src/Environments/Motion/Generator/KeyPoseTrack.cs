namespace MsMano.Environments.Motion.Generator;

/// <summary>
/// Key poses at increasing times, blended by the minimum-jerk profile s(u) = 10u^3 - 15u^4 + 6u^5 (Flash and Hogan's
/// model of point-to-point human movement). Velocity and acceleration are zero at every key, so the chained track is
/// C2-smooth; each frame is a convex combination of two keys, so a track whose keys lie inside the joint limits
/// stays inside them.
/// </summary>
internal sealed class KeyPoseTrack
{
    private readonly List<(double Time, double[] Pose)> _keys = [];

    public KeyPoseTrack(double[] start)
    {
        _keys.Add((0, (double[])start.Clone()));
    }

    public double EndTime => _keys[^1].Time;

    public double[] Last => _keys[^1].Pose;

    /// <summary>Moves to <paramref name="pose"/> over <paramref name="seconds"/> (a hold when the pose is unchanged).</summary>
    public void MoveTo(double[] pose, double seconds)
    {
        if (!(seconds > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "A move needs a positive duration.");
        }
        _keys.Add((EndTime + seconds, (double[])pose.Clone()));
    }

    public void Hold(double seconds) => MoveTo(Last, seconds);

    /// <summary>The pose at time t (clamped to the track), written to <paramref name="pose"/>.</summary>
    public void Sample(double t, Span<double> pose)
    {
        int i = 1;
        while (i < _keys.Count - 1 && _keys[i].Time < t)
        {
            i++;
        }
        (double t0, double[] a) = _keys[Math.Max(i - 1, 0)];
        (double t1, double[] b) = _keys[Math.Min(i, _keys.Count - 1)];
        double u = t1 > t0 ? Math.Clamp((t - t0) / (t1 - t0), 0, 1) : 1;
        double s = u * u * u * (10 - (15 * u) + (6 * u * u));
        for (int k = 0; k < pose.Length; k++)
        {
            pose[k] = a[k] + ((b[k] - a[k]) * s);
        }
    }

    /// <summary>Peak acceleration factor of the profile: |q''| <= 5.7735 |b - a| / T^2 (for tests and documentation).</summary>
    public const double PeakAccelerationFactor = 5.7735;

    /// <summary>Peak velocity factor of the profile: |q'| <= 1.875 |b - a| / T.</summary>
    public const double PeakVelocityFactor = 1.875;
}
