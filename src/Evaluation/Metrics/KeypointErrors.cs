namespace MsMano.Evaluation.Metrics;

/// <summary>The three alignments of the DexYCB evaluator (hpe_eval.py).</summary>
public enum Alignment
{
    /// <summary>Raw coordinates.</summary>
    Absolute,

    /// <summary>Joint 0 (wrist) subtracted from ground truth and prediction separately.</summary>
    RootRelative,

    /// <summary>Per-frame similarity alignment, <see cref="Procrustes.AlignWithScale(Keypoints, Keypoints)"/>.</summary>
    Procrustes,
}

/// <summary>Per-frame, per-joint Euclidean distances between prediction and ground truth.</summary>
public static class KeypointErrors
{
    /// <summary>Distances [frames, joints] in the unit of the inputs (millimetres for the reported metrics).</summary>
    public static double[,] Distances(Keypoints gt, Keypoints pred, Alignment alignment)
    {
        CheckSameShape(gt, pred);
        (gt, pred) = alignment switch
        {
            Alignment.RootRelative => (gt.RootRelative(), pred.RootRelative()),
            Alignment.Procrustes => (gt, Procrustes.AlignWithScale(gt, pred)),
            _ => (gt, pred),
        };
        double[,] result = new double[gt.Frames, gt.Joints];
        for (int f = 0; f < gt.Frames; f++)
        {
            for (int j = 0; j < gt.Joints; j++)
            {
                double dx = gt[f, j, 0] - pred[f, j, 0];
                double dy = gt[f, j, 1] - pred[f, j, 1];
                double dz = gt[f, j, 2] - pred[f, j, 2];
                result[f, j] = Math.Sqrt((dx * dx) + (dy * dy) + (dz * dz));
            }
        }

        return result;
    }

    internal static void CheckSameShape(Keypoints gt, Keypoints pred)
    {
        if (gt.Frames != pred.Frames || gt.Joints != pred.Joints)
        {
            throw new ArgumentException($"Ground truth is [{gt.Frames}, {gt.Joints}, 3] but prediction is [{pred.Frames}, {pred.Joints}, 3].");
        }
    }
}

/// <summary>Mean per-joint position error as the official evaluator reports it.</summary>
public static class Mpjpe
{
    /// <summary>Per joint: mean distance over frames.</summary>
    public static double[] PerJoint(double[,] distances)
    {
        int frames = distances.GetLength(0);
        int joints = distances.GetLength(1);
        if (frames == 0)
        {
            throw new ArgumentException("MPJPE of zero frames is undefined.", nameof(distances));
        }

        double[] result = new double[joints];
        for (int j = 0; j < joints; j++)
        {
            double sum = 0;
            for (int f = 0; f < frames; f++)
            {
                sum += distances[f, j];
            }

            result[j] = sum / frames;
        }

        return result;
    }

    /// <summary>Mean over joints of the per-joint means.</summary>
    public static double Compute(double[,] distances) => PerJoint(distances).Average();

    /// <summary>Per frame: mean distance over joints (for error-over-time plots).</summary>
    public static double[] PerFrame(double[,] distances)
    {
        int frames = distances.GetLength(0);
        int joints = distances.GetLength(1);
        double[] result = new double[frames];
        for (int f = 0; f < frames; f++)
        {
            double sum = 0;
            for (int j = 0; j < joints; j++)
            {
                sum += distances[f, j];
            }

            result[f] = sum / joints;
        }

        return result;
    }
}

/// <summary>
/// Area under the PCK curve as FreiHAND's EvalUtil (used by the DexYCB toolkit): thresholds
/// np.linspace(0, maxMm, steps); PCK_j(t) = mean over frames of (d ≤ t); AUC_j = trapz(PCK_j, t) / trapz(1, t);
/// AUC = mean over joints.
/// </summary>
public static class PckAuc
{
    public const double DefaultMaxMm = 50;
    public const int DefaultSteps = 100;

    public static double[] Thresholds(double maxMm = DefaultMaxMm, int steps = DefaultSteps)
    {
        if (steps < 2 || maxMm <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(steps), $"Need at least 2 thresholds over a positive range, got {steps} over {maxMm} mm.");
        }

        // numpy.linspace: start + i·step, with the last point exactly the stop.
        double[] result = new double[steps];
        double step = maxMm / (steps - 1);
        for (int i = 0; i < steps; i++)
        {
            result[i] = i * step;
        }

        result[^1] = maxMm;
        return result;
    }

    /// <summary>PCK curve per joint [joints, thresholds].</summary>
    public static double[,] PckPerJoint(double[,] distances, double[] thresholds)
    {
        int frames = distances.GetLength(0);
        int joints = distances.GetLength(1);
        if (frames == 0)
        {
            throw new ArgumentException("PCK of zero frames is undefined.", nameof(distances));
        }

        double[,] result = new double[joints, thresholds.Length];
        for (int j = 0; j < joints; j++)
        {
            for (int t = 0; t < thresholds.Length; t++)
            {
                int hits = 0;
                for (int f = 0; f < frames; f++)
                {
                    if (distances[f, j] <= thresholds[t])
                    {
                        hits++;
                    }
                }

                result[j, t] = (double)hits / frames;
            }
        }

        return result;
    }

    /// <summary>Joint-averaged AUC in [0, 1].</summary>
    public static double Compute(double[,] distances, double maxMm = DefaultMaxMm, int steps = DefaultSteps)
    {
        double[] thresholds = Thresholds(maxMm, steps);
        double[,] pck = PckPerJoint(distances, thresholds);
        int joints = pck.GetLength(0);
        double norm = Trapezoid(i => 1.0, thresholds);
        double sum = 0;
        for (int j = 0; j < joints; j++)
        {
            int joint = j;
            sum += Trapezoid(i => pck[joint, i], thresholds) / norm;
        }

        return sum / joints;
    }

    /// <summary>Joint-averaged PCK curve (for plots).</summary>
    public static double[] Curve(double[,] distances, double[] thresholds)
    {
        double[,] pck = PckPerJoint(distances, thresholds);
        int joints = pck.GetLength(0);
        double[] result = new double[thresholds.Length];
        for (int t = 0; t < thresholds.Length; t++)
        {
            for (int j = 0; j < joints; j++)
            {
                result[t] += pck[j, t] / joints;
            }
        }

        return result;
    }

    private static double Trapezoid(Func<int, double> y, double[] x)
    {
        double area = 0;
        for (int i = 1; i < x.Length; i++)
        {
            area += (x[i] - x[i - 1]) * (y(i) + y(i - 1)) / 2;
        }

        return area;
    }
}
