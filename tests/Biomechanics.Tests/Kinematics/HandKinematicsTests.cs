using MsMano.Biomechanics.Kinematics;
using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Biomechanics.Model;

namespace MsMano.Biomechanics.Tests.Kinematics;

public sealed class HandKinematicsTests
{
    private static readonly HandKinematics Kin = new(HandModelFile.LoadDefault());

    internal static double[] RandomAngles(Random rng, HandModel model, double margin = 0)
    {
        double[] q = new double[HandModel.DofCount];
        for (int j = 1; j < HandModel.JointCount; j++)
        {
            for (int a = 0; a < 3; a++)
            {
                double lo = model.Joints[j].LowerLimit[a], hi = model.Joints[j].UpperLimit[a];
                // A range narrower than the margins (a dof MyoHand does not have: [0, 0]) gives its middle.
                double m = Math.Min(margin, (hi - lo) / 2);
                q[(j - 1) * 3 + a] = lo + m + (hi - lo - 2 * m) * rng.NextDouble();
            }
        }
        return q;
    }

    [Fact]
    public void Rest_pose_reproduces_rest_centres_tips_and_zero_pose()
    {
        double[] zero = new double[HandModel.DofCount];
        HandFrames f = Kin.Forward(zero);
        for (int j = 0; j < HandModel.JointCount; j++)
        {
            Assert.True((f.Positions[j] - Kin.RestCentre(j)).Norm() < 1e-15);
        }
        Vec3[] k = Kin.Keypoints(f);
        Assert.Equal(21, k.Length);
        Assert.True((Kin.RestCentre(13) - k[1]).Norm() < 1e-15);
        Assert.True((Kin.RestCentre(3) - k[7]).Norm() < 1e-15);
        Assert.True((Kin.RestCentre(10) - k[13]).Norm() < 1e-15);
        Assert.True((Kin.RestCentre(7) - k[17]).Norm() < 1e-15);
        TipSpec thumb = Kin.Model.Tips[0];
        Assert.True((k[4] - (Kin.RestCentre(15) + Vec3.From(thumb.Offset))).Norm() < 1e-15);
        Assert.All(Kin.PoseFromAngles(zero), v => Assert.Equal(0, v, 15));
    }

    [Fact]
    public void Angles_and_mano_pose_round_trip()
    {
        var rng = new Random(7);
        for (int trial = 0; trial < 50; trial++)
        {
            double[] q = RandomAngles(rng, Kin.Model);
            double[] pose = Kin.PoseFromAngles(q, new Vec3(0.1, -0.2, 0.3));
            Assert.Equal(new Vec3(0.1, -0.2, 0.3), HandKinematics.RootRotationOf(pose));
            double[] back = Kin.AnglesFromPose(pose);
            for (int d = 0; d < q.Length; d++)
            {
                Assert.True(Math.Abs(q[d] - back[d]) < 1e-10, $"dof {d}: {q[d]} vs {back[d]}");
            }
        }
    }

    [Fact]
    public void Positive_flexion_curls_every_finger_toward_the_palm()
    {
        // Palmar is -z in the hand frame: flexing a finger's MCP by 60 deg moves its tip palmar.
        double[] q = new double[HandModel.DofCount];
        Vec3[] rest = Kin.Keypoints(Kin.Forward(q));
        foreach (int mcp in new[] { 1, 4, 7, 10 })
        {
            q[(mcp - 1) * 3] = Math.PI / 3;
        }
        Vec3[] bent = Kin.Keypoints(Kin.Forward(q));
        foreach (int tip in new[] { 8, 12, 16, 20 })
        {
            Assert.True(bent[tip].Z < rest[tip].Z - 0.02, $"keypoint {tip}: z {rest[tip].Z} -> {bent[tip].Z}");
        }
    }

    [Fact]
    public void Rigid_transform_of_the_root_moves_every_keypoint_rigidly()
    {
        var rng = new Random(3);
        double[] q = RandomAngles(rng, Kin.Model);
        var r = Mat3.Exp(new Vec3(0.3, -0.5, 0.9));
        var t = new Vec3(0.1, 0.2, -0.3);
        Vec3[] a = Kin.Keypoints(Kin.Forward(q));
        Vec3[] b = Kin.Keypoints(Kin.Forward(q, r, t));
        for (int i = 0; i < a.Length; i++)
        {
            Vec3 expected = t + r * (a[i] - Kin.RestCentre(0));
            Assert.True((expected - b[i]).Norm() < 1e-14);
        }
    }

    [Fact]
    public void Segment_lengths_are_preserved_by_any_pose()
    {
        var rng = new Random(11);
        double[] q = RandomAngles(rng, Kin.Model);
        HandFrames f = Kin.Forward(q);
        for (int j = 1; j < HandModel.JointCount; j++)
        {
            int p = Kin.Parent(j);
            double rest = (Kin.RestCentre(j) - Kin.RestCentre(p)).Norm();
            Assert.Equal(rest, (f.Positions[j] - f.Positions[p]).Norm(), 12);
        }
    }

    [Fact]
    public void Wrong_length_inputs_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => Kin.Forward(new double[44]));
        Assert.Throws<ArgumentException>(() => Kin.AnglesFromPose(new double[45]));
    }
}
