namespace MsMano.Environments.Motion.Generator;

/// <summary>
/// Free motion: smooth moves through a few random key poses. Each finger's MCP and PIP are drawn with PIP loosely
/// following MCP (people rarely flex one without the other), DIP coupled, a small spread, small off-axis rotations,
/// and the thumb anywhere in the middle of its ranges.
/// </summary>
internal static class FreeEpisode
{
    public static void Append(ClipContext c)
    {
        int keys = c.Rng.Next(2, 5);
        for (int i = 0; i < keys; i++)
        {
            double[] pose = c.RelaxedCopy();
            double common = c.Uniform(0, 1.1);
            foreach (Finger f in Fingers.All)
            {
                double mcp = Math.Clamp(common + c.Uniform(-0.35, 0.35), 0, 1.3);
                double pip = Math.Clamp((0.8 * mcp) + c.Uniform(-0.3, 0.5), 0.05, 1.35);
                c.SetFinger(pose, f, mcp, pip, c.Uniform(-0.15, 0.15));
                int m = (Fingers.McpJoint(f) - 1) * 3;
                // Twist of the MCP and the off-axes of PIP/DIP: within a third of their (narrow) ranges.
                foreach (int dof in new[] { m + 2, m + 4, m + 5, m + 7, m + 8 })
                {
                    c.Set(pose, dof, Inner(c, dof, 0.33));
                }
            }
            for (int dof = Fingers.ThumbFirstDof; dof < 45; dof++)
            {
                c.Set(pose, dof, Inner(c, dof, (dof - Fingers.ThumbFirstDof) % 3 == 2 ? 0.33 : 0.6));
            }
            c.Track.MoveTo(pose, c.Seconds(0.5, 1.1));
            c.Track.Hold(c.Seconds(0.0, 0.25));
        }
    }

    /// <summary>A value in the central fraction of a dof's range.</summary>
    private static double Inner(ClipContext c, int dof, double fraction)
    {
        double lo = c.Limits.Lower(dof), hi = c.Limits.Upper(dof), mid = 0.5 * (lo + hi), half = 0.5 * (hi - lo) * fraction;
        return c.Uniform(mid - half, mid + half);
    }
}
