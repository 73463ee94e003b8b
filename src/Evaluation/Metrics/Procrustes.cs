using MsMano.Biomechanics.Kinematics.Algebra;

namespace MsMano.Evaluation.Metrics;

/// <summary>
/// Similarity alignment of a prediction to ground truth exactly as the FreiHAND / DexYCB evaluator's
/// align_w_scale: centre both on their mean, divide each by its Frobenius norm + 1e-8, take
/// (R, s) = scipy.linalg.orthogonal_procrustes(gt_n, pred_n) (R = U Vᵀ from svd(gt_nᵀ pred_n), s = ΣS),
/// then aligned = (pred_n Rᵀ) s ‖gt_c‖ + mean(gt). No det(R) = +1 constraint: reflections are allowed,
/// as in the official code.
/// </summary>
public static class Procrustes
{
    /// <summary>Aligns one frame: <paramref name="pred"/> and <paramref name="gt"/> are [J·3] (x, y, z per joint).</summary>
    public static double[] AlignWithScale(ReadOnlySpan<double> gt, ReadOnlySpan<double> pred)
    {
        if (gt.Length != pred.Length || gt.Length % 3 != 0 || gt.Length == 0)
        {
            throw new ArgumentException($"Procrustes needs two [J, 3] point sets of equal size, got {gt.Length} and {pred.Length} values.");
        }

        int n = gt.Length / 3;
        double[] meanGt = Mean(gt, n);
        double[] meanPred = Mean(pred, n);
        double[] g = Centre(gt, meanGt, n, out double normGt);
        double[] p = Centre(pred, meanPred, n, out double normPred);
        double s1 = normGt + 1e-8;
        double s2 = normPred + 1e-8;
        for (int i = 0; i < g.Length; i++)
        {
            g[i] /= s1;
            p[i] /= s2;
        }

        // M = gt_nᵀ · pred_n (3×3); R = U Vᵀ (reflections allowed), s = ΣS.
        double m00 = 0, m01 = 0, m02 = 0, m10 = 0, m11 = 0, m12 = 0, m20 = 0, m21 = 0, m22 = 0;
        for (int k = 0; k < n; k++)
        {
            double g0 = g[k * 3], g1 = g[(k * 3) + 1], g2 = g[(k * 3) + 2];
            double p0 = p[k * 3], p1 = p[(k * 3) + 1], p2 = p[(k * 3) + 2];
            m00 += g0 * p0; m01 += g0 * p1; m02 += g0 * p2;
            m10 += g1 * p0; m11 += g1 * p1; m12 += g1 * p2;
            m20 += g2 * p0; m21 += g2 * p1; m22 += g2 * p2;
        }

        Mat3 rot = RotationFit.Maximising(new Mat3(m00, m01, m02, m10, m11, m12, m20, m21, m22), allowReflection: true, out _, out double scale);

        double[] aligned = new double[gt.Length];
        for (int k = 0; k < n; k++)
        {
            for (int r = 0; r < 3; r++)
            {
                // (pred_n · Rᵀ)[k, r] = Σ_c pred_n[k, c] R[r, c]
                double value = (p[k * 3] * rot[r, 0]) + (p[(k * 3) + 1] * rot[r, 1]) + (p[(k * 3) + 2] * rot[r, 2]);
                aligned[(k * 3) + r] = (value * scale * s1) + meanGt[r];
            }
        }

        return aligned;
    }

    /// <summary>Aligns every frame of <paramref name="pred"/> to the same frame of <paramref name="gt"/>.</summary>
    public static Keypoints AlignWithScale(Keypoints gt, Keypoints pred)
    {
        KeypointErrors.CheckSameShape(gt, pred);
        double[] result = new double[pred.Values.Length];
        for (int f = 0; f < gt.Frames; f++)
        {
            AlignWithScale(gt.Frame(f), pred.Frame(f)).CopyTo(result, f * gt.Joints * 3);
        }

        return new Keypoints(result, gt.Frames, gt.Joints);
    }

    private static double[] Mean(ReadOnlySpan<double> x, int n)
    {
        double[] mean = new double[3];
        for (int k = 0; k < n; k++)
        {
            for (int a = 0; a < 3; a++)
            {
                mean[a] += x[(k * 3) + a];
            }
        }

        for (int a = 0; a < 3; a++)
        {
            mean[a] /= n;
        }

        return mean;
    }

    private static double[] Centre(ReadOnlySpan<double> x, double[] mean, int n, out double norm)
    {
        double[] result = new double[x.Length];
        double sum = 0;
        for (int k = 0; k < n; k++)
        {
            for (int a = 0; a < 3; a++)
            {
                double value = x[(k * 3) + a] - mean[a];
                result[(k * 3) + a] = value;
                sum += value * value;
            }
        }

        norm = Math.Sqrt(sum);
        return result;
    }
}
