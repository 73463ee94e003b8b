using MsMano.Biomechanics.Kinematics.Algebra;

namespace MsMano.Environments.Motion.Generator;

/// <summary>
/// Pinch: the index (or middle) finger flexes into a pinch posture, the thumb tip comes to its tip pad to pad, holds,
/// and lets go. The fingers not pinching either stay relaxed or curl in (tip pinch versus an "OK" sign).
/// </summary>
internal static class PinchEpisode
{
    /// <summary>Thumb and finger pad thickness together (m): the tips' keypoints stop this far apart.</summary>
    private const double PadStandoff = 0.012;

    public static void Append(ClipContext c)
    {
        Finger target = c.Rng.NextDouble() < 0.6 ? Finger.Index : Finger.Middle;
        double curl = c.Rng.NextDouble() < 0.5 ? 0 : c.Uniform(0.3, 1.0);
        double[] pinch = c.RelaxedCopy();
        foreach (Finger f in Fingers.All)
        {
            if (f == target)
            {
                // This model's thumb meets the fingertip only once the finger is well flexed.
                c.SetFinger(pinch, f, c.Uniform(0.8, 1.0), c.Uniform(0.85, 1.1), c.Uniform(-0.05, 0.05));
            }
            else
            {
                c.SetFinger(pinch, f, c.Mcp(pinch, f) + (curl * 0.9), c.Pip(pinch, f) + (curl * 1.0), c.Abduction(pinch, f));
            }
        }
        Vec3 tip = c.Thumb.Keypoints(pinch)[Fingers.TipKeypoint(target)];
        c.Thumb.Place(pinch, tip, PadStandoff);
        c.Track.MoveTo(pinch, c.Seconds(0.45, 0.8));
        c.Track.Hold(c.Seconds(0.3, 0.9));
        c.Track.MoveTo(c.Relaxed, c.Seconds(0.45, 0.8));
        c.Track.Hold(c.Seconds(0.1, 0.5));
    }
}
