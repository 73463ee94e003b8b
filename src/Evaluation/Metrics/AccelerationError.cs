namespace MsMano.Evaluation.Metrics;

/// <summary>
/// Acceleration error (VIBE compute_error_accel, per sequence as TCMR): second differences
/// x[t] − 2x[t+1] + x[t+2] of root-relative joints for prediction and ground truth, Euclidean norm of their
/// difference per joint, mean over joints → one value per frame triple. Triples that touch an invalid or
/// missing frame are skipped. No division by Δt², so the unit is mm/frame² when inputs are in mm.
/// </summary>
public static class AccelerationError
{
    /// <summary>One value per usable triple of one sequence (frames in temporal order).</summary>
    public static double[] PerTriple(Keypoints gt, Keypoints pred, IReadOnlyList<bool>? valid = null, int root = 0)
    {
        KeypointErrors.CheckSameShape(gt, pred);
        if (valid is not null && valid.Count != gt.Frames)
        {
            throw new ArgumentException($"Validity mask has {valid.Count} entries for {gt.Frames} frames.", nameof(valid));
        }

        Keypoints g = gt.RootRelative(root);
        Keypoints p = pred.RootRelative(root);
        var result = new List<double>();
        for (int t = 0; t + 2 < gt.Frames; t++)
        {
            if (valid is not null && !(valid[t] && valid[t + 1] && valid[t + 2]))
            {
                continue;
            }

            double sum = 0;
            for (int j = 0; j < gt.Joints; j++)
            {
                double squared = 0;
                for (int a = 0; a < 3; a++)
                {
                    double accelGt = g[t, j, a] - (2 * g[t + 1, j, a]) + g[t + 2, j, a];
                    double accelPred = p[t, j, a] - (2 * p[t + 1, j, a]) + p[t + 2, j, a];
                    double d = accelPred - accelGt;
                    squared += d * d;
                }

                sum += Math.Sqrt(squared);
            }

            result.Add(sum / gt.Joints);
        }

        return [.. result];
    }

    /// <summary>Mean over all usable triples of all sequences (TCMR's frame average); NaN when there is none.</summary>
    public static double Compute(IEnumerable<(Keypoints Gt, Keypoints Pred, IReadOnlyList<bool>? Valid)> sequences)
    {
        double sum = 0;
        long count = 0;
        foreach ((Keypoints gt, Keypoints pred, IReadOnlyList<bool>? valid) in sequences)
        {
            foreach (double value in PerTriple(gt, pred, valid))
            {
                sum += value;
                count++;
            }
        }

        return count == 0 ? double.NaN : sum / count;
    }
}
