namespace MsMano.Environments.Motion.Generator;

/// <summary>
/// Finger tapping: a few quick taps, each by one finger flexing at the MCP (the PIP a little with it), the other fingers
/// following by the enslaving fractions of <see cref="Fingers.Enslaving"/>, then returning to rest. The order is
/// either random or a sweep index to pinky or back.
/// </summary>
internal static class TappingEpisode
{
    public static void Append(ClipContext c)
    {
        int taps = c.Rng.Next(3, 7);
        bool sweep = c.Rng.NextDouble() < 0.4;
        bool backwards = c.Rng.NextDouble() < 0.5;
        int start = c.Rng.Next(4);
        for (int i = 0; i < taps; i++)
        {
            Finger mover = sweep ? Fingers.All[backwards ? 3 - ((start + i) % 4) : (start + i) % 4] : Fingers.All[c.Rng.Next(4)];
            double amplitude = c.Uniform(0.45, 0.85);
            double[] tap = c.RelaxedCopy();
            foreach (Finger f in Fingers.All)
            {
                double share = Fingers.Enslaving[(int)mover, (int)f];
                c.SetFinger(tap, f, c.Mcp(tap, f) + (share * amplitude), c.Pip(tap, f) + (share * 0.3 * amplitude), c.Abduction(tap, f));
            }
            c.Track.MoveTo(tap, c.Seconds(0.2, 0.32));
            c.Track.Hold(c.Seconds(0.02, 0.08));
            c.Track.MoveTo(c.Relaxed, c.Seconds(0.2, 0.32));
            c.Track.Hold(c.Seconds(0.05, 0.3));
        }
    }
}
