using MsMano.Biomechanics.Kinematics.Algebra;

namespace MsMano.Environments.Motion.Generator;

/// <summary>
/// Power grasp and release: from an open hand, all four fingers close together (MCP and PIP flexing in proportion,
/// DIP coupled to PIP, the ulnar fingers a little further, the fingers drawn together), the thumb closes over the index
/// middle phalanx, the grip holds, and the hand opens again. A closure factor per grasp stands for the object's size.
/// </summary>
internal static class GraspEpisode
{
    public static void Append(ClipContext c)
    {
        double[] open = c.RelaxedCopy();
        foreach (Finger f in Fingers.All)
        {
            c.SetFinger(open, f, 0.4 * c.Mcp(open, f), 0.4 * c.Pip(open, f), c.Abduction(open, f) + c.Uniform(-0.05, 0.05));
        }
        c.Track.MoveTo(open, c.Seconds(0.4, 0.8));
        c.Track.Hold(c.Seconds(0.1, 0.4));

        double closure = c.Uniform(0.55, 1.0);
        double[] grasp = c.RelaxedCopy();
        foreach (Finger f in Fingers.All)
        {
            double cascade = 1 + (0.06 * (int)f);
            c.SetFinger(grasp, f, closure * cascade * c.Uniform(1.0, 1.3), closure * cascade * c.Uniform(1.0, 1.35), c.Uniform(-0.03, 0.03));
        }
        Vec3[] k = c.Thumb.Keypoints(grasp);
        // Contact between the index PIP and DIP keypoints; a looser grip (larger object) leaves more room.
        c.Thumb.Place(grasp, (k[6] + k[7]) * 0.5, 0.015 + (0.04 * (1 - closure)));
        c.Track.MoveTo(grasp, c.Seconds(0.5, 0.9));
        c.Track.Hold(c.Seconds(0.3, 0.9));
        c.Track.MoveTo(open, c.Seconds(0.5, 0.9));
        c.Track.Hold(c.Seconds(0.1, 0.4));
    }
}
