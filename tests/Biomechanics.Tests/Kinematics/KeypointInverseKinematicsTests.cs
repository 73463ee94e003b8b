using MsMano.Biomechanics.Kinematics;
using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Biomechanics.Kinematics.InverseKinematics;
using MsMano.Biomechanics.Model;

namespace MsMano.Biomechanics.Tests.Kinematics;

public sealed class KeypointInverseKinematicsTests
{
    private static readonly HandKinematics Kin = new(HandModelFile.LoadDefault());

    private static Vec3[] Keypoints(double[] angles, Mat3 rotation, Vec3 position) =>
        Kin.Keypoints(Kin.Forward(angles, rotation, position));

    private static double MeanDistance(Vec3[] a, Vec3[] b) => a.Zip(b, (x, y) => (x - y).Norm()).Average();

    private static Mat3 RandomRotation(Random rng) =>
        Mat3.Exp(new Vec3(rng.NextDouble() * 2 - 1, rng.NextDouble() * 2 - 1, rng.NextDouble() * 2 - 1) * 2.0);

    [Fact]
    public void Random_in_limit_poses_are_recovered_to_well_under_one_millimetre_from_the_rest_pose()
    {
        var rng = new Random(11);
        var ik = new KeypointInverseKinematics(Kin);
        var errors = new List<double>();
        for (int trial = 0; trial < 30; trial++)
        {
            double[] truth = HandKinematicsTests.RandomAngles(rng, Kin.Model);
            Mat3 r = RandomRotation(rng);
            var x = new Vec3(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5, 0.3 + rng.NextDouble());
            Vec3[] target = Keypoints(truth, r, x);
            KeypointFit fit = ik.Fit(target);
            Assert.True(ik.Limits.Contains(fit.Angles));
            Assert.Equal(1.0, fit.Scale);
            double error = MeanDistance(target, Keypoints(fit.Angles, fit.RootRotation, fit.RootPosition));
            Assert.Equal(error, fit.MeanError, 9);
            errors.Add(error);
        }
        Assert.True(errors.Average() < 1e-3, $"mean keypoint error {errors.Average() * 1000:F4} mm");
        Assert.True(errors.Max() < 1e-3, $"worst keypoint error {errors.Max() * 1000:F4} mm");
    }

    [Fact]
    public void Root_is_the_kabsch_fit_of_the_palm()
    {
        var rng = new Random(3);
        double[] truth = HandKinematicsTests.RandomAngles(rng, Kin.Model);
        Mat3 r = RandomRotation(rng);
        var x = new Vec3(0.1, -0.2, 0.7);
        KeypointFit fit = new KeypointInverseKinematics(Kin).Fit(Keypoints(truth, r, x));
        Assert.True((fit.RootPosition - x).Norm() < 1e-9);
        Assert.True((fit.RootRotation.Column(0) - r.Column(0)).Norm() < 1e-9);
        Assert.True((fit.RootRotation.Column(1) - r.Column(1)).Norm() < 1e-9);
    }

    [Fact]
    public void Warm_started_sequence_stays_accurate_and_needs_fewer_steps()
    {
        var rng = new Random(5);
        double[] a = HandKinematicsTests.RandomAngles(rng, Kin.Model, margin: 0.05);
        double[] b = HandKinematicsTests.RandomAngles(rng, Kin.Model, margin: 0.05);
        var frames = new List<IReadOnlyList<Vec3>>();
        for (int f = 0; f < 20; f++)
        {
            double u = f / 19.0;
            double[] q = a.Zip(b, (p, s) => p + (s - p) * u).ToArray();
            frames.Add(Keypoints(q, Mat3.RotZ(0.02 * f), new Vec3(0, 0, 0.5)));
        }
        var ik = new KeypointInverseKinematics(Kin);
        IReadOnlyList<KeypointFit> warm = ik.FitSequence(frames);
        Assert.All(warm, fit => Assert.True(fit.MeanError < 1e-4, $"{fit.MeanError * 1000} mm"));
        int cold = frames.Skip(1).Sum(f => ik.Fit(f).Iterations);
        Assert.True(warm.Skip(1).Sum(f => f.Iterations) < cold, "warm starts should save solver steps");
    }

    [Fact]
    public void Scale_is_estimated_for_a_larger_hand()
    {
        var rng = new Random(8);
        double[] truth = HandKinematicsTests.RandomAngles(rng, Kin.Model, margin: 0.1);
        Vec3 x = new(0.05, 0.02, 0.6);
        Mat3 r = RandomRotation(rng);
        // The same pose of a hand 12 % larger: scale every keypoint about the wrist.
        Vec3[] target = Keypoints(truth, r, x).Select(p => x + (p - x) * 1.12).ToArray();
        var ik = new KeypointInverseKinematics(Kin, new KeypointIkOptions { EstimateScale = true });
        KeypointFit fit = ik.Fit(target);
        Assert.Equal(1.12, fit.Scale, 6);
        Assert.True(fit.MeanError < 1e-3, $"{fit.MeanError * 1000} mm");
        Assert.True((fit.RootPosition - x).Norm() < 1e-6);
    }

    [Fact]
    public void Out_of_range_targets_give_angles_inside_the_margin_and_bad_input_is_rejected()
    {
        double[] q = new double[HandModel.DofCount];
        q[3] = 2.4; // middle... index2 flexion far past its 1.571 upper limit
        q[0] = -0.6;
        var ik = new KeypointInverseKinematics(Kin, new KeypointIkOptions { LimitMargin = 0.02 });
        KeypointFit fit = ik.Fit(Keypoints(q, Mat3.Identity, Kin.RestCentre(0)));
        Assert.True(ik.Limits.Contains(fit.Angles));
        Assert.True(fit.Angles[3] <= Kin.Model.Joints[2].UpperLimit[0] - 0.02 + 1e-12);

        Assert.Throws<ArgumentException>(() => ik.Fit(new Vec3[20]));
        Vec3[] nan = Keypoints(new double[45], Mat3.Identity, Vec3.Zero);
        nan[4] = new Vec3(double.NaN, 0, 0);
        Assert.Contains("Keypoint 4", Assert.Throws<ArgumentException>(() => ik.Fit(nan)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new KeypointInverseKinematics(Kin, new KeypointIkOptions { MaxIterations = 0 }));
    }

    [Fact]
    public void Partial_fit_moves_only_the_free_dofs_toward_one_weighted_keypoint()
    {
        var ik = new KeypointInverseKinematics(Kin);
        double[] start = new double[HandModel.DofCount];
        // Index flexed into a pinch posture: MCP, PIP, DIP flexion.
        (start[0], start[3], start[6]) = (0.7, 0.8, 0.55);
        Vec3[] rest = Keypoints(start, Mat3.Identity, Kin.RestCentre(0));
        var targets = (Vec3[])rest.Clone();
        // Thumb tip (keypoint 4) toward the index tip (keypoint 8), thumb dofs only.
        targets[4] = rest[8];
        double[] weights = new double[21];
        weights[4] = 1;
        bool[] free = Enumerable.Range(0, 45).Select(d => d >= 36).ToArray();
        KeypointFit fit = ik.FitAngles(targets, weights, start, Mat3.Identity, Kin.RestCentre(0), free);
        Assert.All(Enumerable.Range(0, 36), d => Assert.Equal(start[d], fit.Angles[d]));
        double before = (rest[4] - rest[8]).Norm();
        Assert.True(fit.MeanError < 0.25 * before, $"{fit.MeanError * 1000} mm of {before * 1000} mm");
    }
}
