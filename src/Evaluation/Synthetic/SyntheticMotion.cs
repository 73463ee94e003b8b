using MsMano.Evaluation.Datasets.PoseFiles;
using MsMano.Evaluation.Metrics;

namespace MsMano.Evaluation.Synthetic;

/// <summary>
/// SYNTHETIC smooth hand motion for tests and demonstrations (no dataset needed): every finger joint flexes
/// about its own axis with a sum of two slow sinusoids (0.2-1.2 Hz), in the 0-1.2 rad range of real finger
/// flexion, plus small abduction; the wrist rotates slowly. Not a model of real grasps — only a plausible,
/// smooth, seeded trajectory. Output is flagged synthetic.
/// </summary>
public static class SyntheticMotion
{
    public static PoseSequence Generate(string name, int frames, double fps, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frames);
        var rng = new Random(seed);
        var poses = new float[frames * ManoJoints.PoseSize];
        var parameters = new (double F1, double F2, double P1, double P2, double A)[ManoJoints.Count];
        for (var j = 0; j < ManoJoints.Count; j++)
        {
            parameters[j] = (0.2 + rng.NextDouble(), 0.2 + rng.NextDouble(), rng.NextDouble() * 2 * Math.PI, rng.NextDouble() * 2 * Math.PI, 0.1 + (0.1 * rng.NextDouble()));
        }

        for (var f = 0; f < frames; f++)
        {
            var t = f / fps;
            for (var j = 0; j < ManoJoints.Count; j++)
            {
                var (f1, f2, p1, p2, abduction) = parameters[j];
                var wave = 0.5 + (0.3 * Math.Sin((2 * Math.PI * f1 * t) + p1)) + (0.2 * Math.Sin((2 * Math.PI * f2 * t) + p2));
                var o = (f * ManoJoints.PoseSize) + (j * 3);
                if (j == 0)
                {
                    poses[o] = (float)(0.3 * wave);
                    poses[o + 1] = (float)(0.2 * Math.Sin(t));
                    poses[o + 2] = (float)(0.1 * Math.Cos(0.7 * t));
                    continue;
                }

                // Flexion about the local z axis (MANO's rest hand bends its fingers mostly about z).
                poses[o] = (float)(abduction * Math.Sin((2 * Math.PI * f2 * t) + p1) * 0.3);
                poses[o + 1] = (float)(abduction * 0.5 * wave);
                poses[o + 2] = (float)(1.2 * wave);
            }
        }

        return new PoseSequence(name, poses, fps, null, synthetic: true);
    }
}
