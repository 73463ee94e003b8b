using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Environments.Policy;
using MsMano.Evaluation.Metrics;

namespace MsMano.Evaluation.Tests.Metrics;

public sealed class MetricTests
{
    [Fact]
    public void Root_relative_mpjpe_ignores_translation_and_averages_per_joint()
    {
        Keypoints gt = RandomHand(new Random(1), 2);
        Keypoints pred = Translate(gt, 10, -20, 30);
        // Joint 5 off by a 3-4-0 triangle in frame 1 only.
        pred[1, 5, 0] += 3;
        pred[1, 5, 1] += 4;
        double[,] d = KeypointErrors.Distances(gt, pred, Alignment.RootRelative);
        Assert.Equal(5, d[1, 5], 12);
        Assert.Equal(2.5 / 21, Mpjpe.Compute(d), 12);
        Assert.Equal(2.5, Mpjpe.PerJoint(d)[5], 12);
        Assert.True(Mpjpe.Compute(KeypointErrors.Distances(gt, pred, Alignment.Absolute)) > 30);
    }

    [Fact]
    public void Auc_hand_computed_cases()
    {
        Assert.Equal(1.0, PckAuc.Compute(new double[3, 21]), 12);
        double[,] far = new double[2, 21];
        Fill(far, 60);
        Assert.Equal(0.0, PckAuc.Compute(far), 12);

        // Every distance 25 mm: PCK is 0 below 25 and 1 from the first threshold ≥ 25 (index 50 = 25.2525…).
        // The trapezoid between 24.747 (0) and 25.2525 (1) adds half a step; then 49 full steps of 1.
        double[,] half = new double[1, 21];
        Fill(half, 25);
        double step = 50.0 / 99;
        Assert.Equal(((0.5 * step) + (49 * step)) / 50, PckAuc.Compute(half), 12);

        double[] thresholds = PckAuc.Thresholds();
        Assert.Equal(100, thresholds.Length);
        Assert.Equal(50.0 / 99, thresholds[1], 14);
        Assert.Equal(50.0, thresholds[^1]);
    }

    [Fact]
    public void Metrics_match_direct_reimplementation_of_official_formulas()
    {
        var rng = new Random(7);
        Keypoints gt = RandomHand(rng, 40);
        Keypoints pred = Noisy(gt, rng, 15);

        // Direct re-implementation, written independently: lists of per-joint distance lists.
        var perJoint = new List<double>[21];
        for (int j = 0; j < 21; j++)
        {
            perJoint[j] = [];
            for (int f = 0; f < 40; f++)
            {
                double s = 0;
                for (int a = 0; a < 3; a++)
                {
                    double e = (gt[f, j, a] - gt[f, 0, a]) - (pred[f, j, a] - pred[f, 0, a]);
                    s += e * e;
                }

                perJoint[j].Add(Math.Sqrt(s));
            }
        }

        double expectedMpjpe = perJoint.Select(l => l.Average()).Average();
        double[] t = Enumerable.Range(0, 100).Select(i => 50.0 * i / 99).ToArray();
        double expectedAuc = 0;
        foreach (List<double> list in perJoint)
        {
            double[] pck = t.Select(th => list.Count(d => d <= th) / 40.0).ToArray();
            double area = 0;
            for (int i = 1; i < 100; i++)
            {
                area += (t[i] - t[i - 1]) * (pck[i] + pck[i - 1]) / 2;
            }

            expectedAuc += area / 50 / 21;
        }

        double[,] d = KeypointErrors.Distances(gt, pred, Alignment.RootRelative);
        Assert.Equal(expectedMpjpe, Mpjpe.Compute(d), 10);
        Assert.Equal(expectedAuc, PckAuc.Compute(d), 10);
        Assert.InRange(expectedAuc, 0.05, 0.95);
    }

    [Fact]
    public void Procrustes_recovers_similarity_transforms_and_reflections()
    {
        var rng = new Random(3);
        Keypoints gt = RandomHand(rng, 1);
        double[,] rotation = RandomRotation(rng);
        Keypoints similar = Transform(gt, rotation, scale: 1.7, tx: 40, ty: -5, tz: 900);
        AssertClose(gt.Values, Procrustes.AlignWithScale(gt, similar).Values, 1e-6);

        // A mirrored prediction is aligned exactly too: the official code does not force det(R) = +1.
        double[,] mirror = new double[,] { { -1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } };
        Keypoints reflected = Transform(gt, Multiply(rotation, mirror), scale: 0.8, tx: 1, ty: 2, tz: 3);
        AssertClose(gt.Values, Procrustes.AlignWithScale(gt, reflected).Values, 1e-6);

        // Noise does not vanish, and alignment never makes the error worse than root-relative.
        Keypoints noisy = Noisy(gt, rng, 5);
        double pa = Mpjpe.Compute(KeypointErrors.Distances(gt, noisy, Alignment.Procrustes));
        Assert.InRange(pa, 0.5, Mpjpe.Compute(KeypointErrors.Distances(gt, noisy, Alignment.RootRelative)));
    }

    [Fact]
    public void Procrustes_matches_brute_force_optimum_on_noisy_data()
    {
        // The aligned error must not be beaten by any nearby rotation (the SVD gives the optimum).
        var rng = new Random(11);
        Keypoints gt = RandomHand(rng, 1);
        Keypoints pred = Noisy(Transform(gt, RandomRotation(rng), 1.2, 5, 5, 5), rng, 8);
        double best = Mpjpe.Compute(KeypointErrors.Distances(gt, pred, Alignment.Procrustes));
        double alignedSq = SumSquares(gt, Procrustes.AlignWithScale(gt, pred));
        for (int trial = 0; trial < 50; trial++)
        {
            double[,] small = AxisAngle(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5, rng.NextDouble() - 0.5, 0.05);
            Keypoints perturbed = Transform(Procrustes.AlignWithScale(gt, pred), small, 1, 0, 0, 0);
            // Rotate about the gt centroid, which is where the aligned set is centred.
            Assert.True(SumSquares(gt, Recentre(perturbed, gt)) >= alignedSq - 1e-9);
        }

        Assert.True(best > 0);
    }

    [Fact]
    public void Svd_reconstructs_general_and_rank_deficient_matrices()
    {
        var rng = new Random(5);
        var cases = new List<double[,]>();
        for (int i = 0; i < 30; i++)
        {
            double[,] m = new double[3, 3];
            for (int r = 0; r < 3; r++)
            {
                for (int c = 0; c < 3; c++)
                {
                    m[r, c] = (rng.NextDouble() * 2) - 1;
                }
            }

            cases.Add(m);
        }

        cases.Add(new double[3, 3]);
        cases.Add(new double[,] { { 1, 2, 3 }, { 2, 4, 6 }, { -1, -2, -3 } });
        cases.Add(new double[,] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 0 } });
        cases.Add(new double[,] { { 2, 0, 0 }, { 0, 2, 0 }, { 0, 0, 2 } });
        cases.Add(new double[,] { { 1e-9, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1e9 } });
        foreach (double[,] m in cases)
        {
            (Mat3 um, Vec3 sv, Mat3 vm) = Svd3.Decompose(new Mat3(m[0, 0], m[0, 1], m[0, 2], m[1, 0], m[1, 1], m[1, 2], m[2, 0], m[2, 1], m[2, 2]));
            double[] s = [sv.X, sv.Y, sv.Z];
            Assert.True(s[0] >= s[1] && s[1] >= s[2] && s[2] >= 0);
            double scale = Math.Max(1, s[0]);
            for (int r = 0; r < 3; r++)
            {
                for (int c = 0; c < 3; c++)
                {
                    double value = 0.0;
                    double uu = 0.0;
                    double vv = 0.0;
                    for (int k = 0; k < 3; k++)
                    {
                        value += um[r, k] * s[k] * vm[c, k];
                        uu += um[k, r] * um[k, c];
                        vv += vm[k, r] * vm[k, c];
                    }

                    Assert.Equal(m[r, c], value, 1e-10 * scale);
                    Assert.Equal(r == c ? 1 : 0, uu, 1e-10);
                    Assert.Equal(r == c ? 1 : 0, vv, 1e-10);
                }
            }
        }
    }

    [Fact]
    public void Acceleration_error_hand_computed_and_skips_invalid_frames()
    {
        // Ground truth moves at constant velocity (zero acceleration); the prediction has one bump.
        var gt = new Keypoints(new double[5 * 21 * 3], 5, 21);
        for (int f = 0; f < 5; f++)
        {
            for (int j = 0; j < 21; j++)
            {
                gt[f, j, 0] = (f * 2.0) + j;
                gt[f, j, 1] = j * 0.5;
            }
        }

        var pred = new Keypoints((double[])gt.Values.Clone(), 5, 21);
        pred[2, 1, 2] += 6; // joint 1, frame 2, z: second differences +6, −12, +6 across the three triples
        Assert.Equal([6.0 / 21, 12.0 / 21, 6.0 / 21], AccelerationError.PerTriple(gt, pred), new ToleranceComparer(1e-12));
        Assert.Equal(24.0 / 21 / 3, AccelerationError.Compute([(gt, pred, null)]), 12);
        bool[] valid = [true, true, true, true, false];
        Assert.Equal(18.0 / 21 / 2, AccelerationError.Compute([(gt, pred, valid)]), 12);

        // A moving wrist shared by both does not count: it is root-relative.
        Keypoints shifted = Translate(pred, 0, 0, 0);
        for (int f = 0; f < 5; f++)
        {
            for (int j = 0; j < 21; j++)
            {
                shifted[f, j, 1] += f * f * 3.0;
            }
        }

        Assert.Equal(24.0 / 21 / 3, AccelerationError.Compute([(gt, shifted, null)]), 12);
    }

    [Fact]
    public void Evaluation_pools_valid_frames_across_sequences()
    {
        var rng = new Random(9);
        Keypoints gtA = RandomHand(rng, 10);
        Keypoints gtB = RandomHand(rng, 6);
        Keypoints predA = Noisy(gtA, rng, 4);
        Keypoints predB = Noisy(gtB, rng, 4);
        bool[] validB = Enumerable.Range(0, 6).Select(f => f != 3).ToArray();
        MetricSummary summary = HandPoseEvaluation.Evaluate([new("a", gtA, predA), new("b", gtB, predB, validB)]);
        Assert.Equal(15, summary.Frames);
        Assert.Equal(21, summary.PerJointMpjpeMm.Length);
        Assert.Equal(0, summary.PerJointMpjpeMm[0], 12);
        Assert.True(summary.PaMpjpeMm < summary.MpjpeMm);
        Assert.InRange(summary.Auc, 0.5, 1);
        Assert.True(summary.AccelerationErrorMm > 0);
    }

    internal static Keypoints RandomHand(Random rng, int frames)
    {
        double[] values = new double[frames * 21 * 3];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (rng.NextDouble() - 0.5) * 160;
        }

        return new Keypoints(values, frames, 21);
    }

    internal static Keypoints Noisy(Keypoints k, Random rng, double sigma)
    {
        double[] values = (double[])k.Values.Clone();
        for (int i = 0; i < values.Length; i++)
        {
            values[i] += Gaussian(rng) * sigma;
        }

        return new Keypoints(values, k.Frames, k.Joints);
    }

    private static double Gaussian(Random rng) => rng.NextGaussian();

    private static Keypoints Translate(Keypoints k, double x, double y, double z)
    {
        double[] values = (double[])k.Values.Clone();
        for (int i = 0; i < values.Length; i += 3)
        {
            values[i] += x;
            values[i + 1] += y;
            values[i + 2] += z;
        }

        return new Keypoints(values, k.Frames, k.Joints);
    }

    private static Keypoints Transform(Keypoints k, double[,] r, double scale, double tx, double ty, double tz)
    {
        double[] values = new double[k.Values.Length];
        for (int i = 0; i < values.Length; i += 3)
        {
            for (int a = 0; a < 3; a++)
            {
                values[i + a] = (scale * ((r[a, 0] * k.Values[i]) + (r[a, 1] * k.Values[i + 1]) + (r[a, 2] * k.Values[i + 2]))) + (a == 0 ? tx : a == 1 ? ty : tz);
            }
        }

        return new Keypoints(values, k.Frames, k.Joints);
    }

    private static Keypoints Recentre(Keypoints k, Keypoints target)
    {
        double[] values = (double[])k.Values.Clone();
        for (int a = 0; a < 3; a++)
        {
            double mk = 0, mt = 0;
            for (int i = a; i < values.Length; i += 3)
            {
                mk += k.Values[i];
                mt += target.Values[i];
            }

            double shift = (mt - mk) / k.Joints;
            for (int i = a; i < values.Length; i += 3)
            {
                values[i] += shift;
            }
        }

        return new Keypoints(values, k.Frames, k.Joints);
    }

    private static double SumSquares(Keypoints a, Keypoints b) => a.Values.Zip(b.Values, (x, y) => (x - y) * (x - y)).Sum();

    private static double[,] RandomRotation(Random rng) =>
        AxisAngle(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5, rng.NextDouble() - 0.5, rng.NextDouble() * Math.PI);

    private static double[,] AxisAngle(double x, double y, double z, double angle)
    {
        double n = Math.Sqrt((x * x) + (y * y) + (z * z));
        x /= n;
        y /= n;
        z /= n;
        double c = Math.Cos(angle);
        double s = Math.Sin(angle);
        double t = 1 - c;
        return new double[,]
        {
            { (t * x * x) + c, (t * x * y) - (s * z), (t * x * z) + (s * y) },
            { (t * x * y) + (s * z), (t * y * y) + c, (t * y * z) - (s * x) },
            { (t * x * z) - (s * y), (t * y * z) + (s * x), (t * z * z) + c },
        };
    }

    private static double[,] Multiply(double[,] a, double[,] b)
    {
        double[,] r = new double[3, 3];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                for (int k = 0; k < 3; k++)
                {
                    r[i, j] += a[i, k] * b[k, j];
                }
            }
        }

        return r;
    }

    private static void Fill(double[,] m, double value)
    {
        for (int i = 0; i < m.GetLength(0); i++)
        {
            for (int j = 0; j < m.GetLength(1); j++)
            {
                m[i, j] = value;
            }
        }
    }

    private static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], tolerance);
        }
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
