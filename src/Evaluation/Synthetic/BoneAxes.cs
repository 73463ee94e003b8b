using MsMano.Evaluation.Metrics;

namespace MsMano.Evaluation.Synthetic;

/// <summary>Bone (twist) axes per MANO joint, [16 × 3] unit vectors.</summary>
public static class BoneAxes
{
    /// <summary>21-keypoint position of each MANO joint (inverse of manopth's reorder).</summary>
    public static readonly IReadOnlyList<int> ManoToKeypoint = [0, 5, 6, 7, 9, 10, 11, 17, 18, 19, 13, 14, 15, 1, 2, 3];

    /// <summary>
    /// An approximation for when no hand model is at hand: MANO's rest hand points its fingers along +x
    /// and its thumb between +x and +z. Use <see cref="FromRestKeypoints"/> for real axes.
    /// </summary>
    public static double[] ApproximateMano()
    {
        double[] axes = new double[48];
        for (int j = 0; j < 16; j++)
        {
            (double x, double z) = j >= 13 ? (Math.Sqrt(0.5), Math.Sqrt(0.5)) : (1.0, 0.0);
            axes[j * 3] = x;
            axes[(j * 3) + 2] = z;
        }

        return axes;
    }

    /// <summary>
    /// Axes from one frame of rest-pose keypoints (21-joint order): joint → its child (or fingertip).
    /// The wrist gets the direction to the middle MCP.
    /// </summary>
    public static double[] FromRestKeypoints(Keypoints rest)
    {
        if (rest.Joints != HandJoints.Count || rest.Frames < 1)
        {
            throw new ArgumentException($"Need one frame of {HandJoints.Count} rest keypoints, got [{rest.Frames}, {rest.Joints}].", nameof(rest));
        }

        double[] axes = new double[48];
        for (int m = 0; m < 16; m++)
        {
            int from = ManoToKeypoint[m];
            int to = m == 0 ? 9 : from + 1;
            double dx = rest[0, to, 0] - rest[0, from, 0], dy = rest[0, to, 1] - rest[0, from, 1], dz = rest[0, to, 2] - rest[0, from, 2];
            double n = Math.Sqrt((dx * dx) + (dy * dy) + (dz * dz));
            if (n < 1e-12)
            {
                throw new ArgumentException($"Keypoints {from} and {to} coincide; no bone axis for MANO joint {m}.", nameof(rest));
            }

            axes[m * 3] = dx / n;
            axes[(m * 3) + 1] = dy / n;
            axes[(m * 3) + 2] = dz / n;
        }

        return axes;
    }
}
