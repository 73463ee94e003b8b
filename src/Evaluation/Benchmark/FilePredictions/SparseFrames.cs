using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Evaluation.Metrics;

namespace MsMano.Evaluation.Benchmark.FilePredictions;

/// <summary>
/// Predictions on a subset of a run's frames made whole for BioPR: every joint rotation is slerped between the two
/// nearest predicted frames (R_a exp(t log(R_aᵀ R_b))); frames before the first or after the last predicted one hold it.
/// </summary>
internal static class SparseFrames
{
    private const int PoseSize = ManoJoints.PoseSize;

    /// <param name="poses">Poses of the predicted frames, in order.</param>
    /// <param name="offsets">Each predicted frame's index in the run, rising.</param>
    public static float[] Fill(float[] poses, int[] offsets, int frames)
    {
        float[] result = new float[frames * PoseSize];
        int next = 0;
        for (int f = 0; f < frames; f++)
        {
            while (next < offsets.Length && offsets[next] < f)
            {
                next++;
            }

            int a = Math.Max(0, next - 1), b = Math.Min(offsets.Length - 1, next);
            if (next < offsets.Length && offsets[next] == f)
            {
                a = b = next;
            }

            if (a == b || f == offsets[a])
            {
                // A predicted frame, or one held before the first / after the last: the prediction as given.
                poses.AsSpan(a * PoseSize, PoseSize).CopyTo(result.AsSpan(f * PoseSize, PoseSize));
                continue;
            }

            double t = (f - offsets[a]) / (double)(offsets[b] - offsets[a]);
            for (int j = 0; j < PoseSize / 3; j++)
            {
                int o = j * 3;
                var ra = Mat3.Exp(new Vec3(poses[(a * PoseSize) + o], poses[(a * PoseSize) + o + 1], poses[(a * PoseSize) + o + 2]));
                var rb = Mat3.Exp(new Vec3(poses[(b * PoseSize) + o], poses[(b * PoseSize) + o + 1], poses[(b * PoseSize) + o + 2]));
                Vec3 v = (ra * Mat3.Exp(t * (ra.Transpose() * rb).Log())).Log();
                result[(f * PoseSize) + o] = (float)v.X;
                result[(f * PoseSize) + o + 1] = (float)v.Y;
                result[(f * PoseSize) + o + 2] = (float)v.Z;
            }
        }

        return result;
    }

    public static bool[] Mask(int[] offsets, int frames)
    {
        bool[] mask = new bool[frames];
        foreach (int o in offsets)
        {
            mask[o] = true;
        }

        return mask;
    }
}
