using MsMano.Biomechanics.Kinematics;
using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Biomechanics.Mano;
using MsMano.Biomechanics.Model;
using MsMano.Biomechanics.Shape;
using MsMano.ModelFormats.Mano;
using MsMano.ModelFormats.Numpy;
using MsMano.TestSupport;
using MsMano.TestSupport.Formats;

namespace MsMano.Biomechanics.Tests.Mano;

public sealed class ManoShapeTests
{
    private static readonly HandModel Model = HandModelFile.LoadDefault();
    private static readonly Mat3 R0 = Mat3.Exp(new Vec3(0.4, -1.1, 0.7));
    private static readonly Vec3 T0 = new(0.3, -0.2, 0.1);

    /// <summary>A synthetic MANO whose template joints are the model's joints in another (rotated, shifted) frame.</summary>
    private static ManoModel SyntheticMano(out ManoFixture fx)
    {
        Vec3[] joints = Model.Joints.Select(j => R0 * Vec3.From(j.Position) + T0).ToArray();
        fx = new ManoFixture(5, joints);
        using var dir = new TempDir();
        string path = dir.File("mano.npz");
        NpzWriter.Write(path, fx.DenseArrays(), compressed: false);
        return ManoModelFile.Load(path);
    }

    [Fact]
    public void Zero_betas_on_a_matching_template_reproduce_the_model()
    {
        ManoModel mano = SyntheticMano(out _);
        HandModel same = ManoShape.Apply(Model, mano, []);
        Shape.ShapedModelTests.AssertModelsClose(Model, same, 1e-10);
    }

    [Fact]
    public void Betas_move_joints_to_the_regressed_joints_in_the_hand_frame()
    {
        ManoModel mano = SyntheticMano(out ManoFixture fx);
        double[] betas = [1.5, -2.0, 0.5, 1.0, 0, 0, 0.3, -0.4, 0.8, 2.0];
        HandModel shaped = ManoShape.Apply(Model, mano, betas);
        Vec3[] expected = fx.ExpectedJoints(betas);
        Mat3 back = R0.Transpose();
        for (int j = 0; j < 16; j++)
        {
            Vec3 e = back * (expected[j] - T0);
            Assert.True((e - Vec3.From(shaped.Joints[j].Position)).Norm() < 1e-10, $"joint {j}");
        }
        // Re-aimed frames: each bone keeps its direction in its own anatomical frame.
        for (int j = 1; j < 16; j++)
        {
            int child = Array.FindIndex(Model.Joints, x => x.Parent == j);
            if (child < 0)
            {
                continue;
            }
            Vec3 Local(HandModel m) =>
                Quat.From(m.Joints[j].Frame).ToMatrix().Transpose() * (Vec3.From(m.Joints[child].Position) - Vec3.From(m.Joints[j].Position)).Normalized();
            Assert.True((Local(Model) - Local(shaped)).Norm() < 1e-10, $"joint {j} frame not re-aimed");
        }
        // Attachments stay on their segments: in the segment's own anatomical frame a via point keeps its direction and
        // its distance scales with the bone.
        for (int m = 0; m < Model.Muscles.Length; m++)
        {
            for (int k = 0; k < Model.Muscles[m].Path.Length; k++)
            {
                int j = Model.Muscles[m].Path[k].Joint;
                if (j == 0)
                {
                    continue;
                }
                Vec3 before = Quat.From(Model.Joints[j].Frame).ToMatrix().Transpose() * Vec3.From(Model.Muscles[m].Path[k].Offset);
                Vec3 after = Quat.From(shaped.Joints[j].Frame).ToMatrix().Transpose() * Vec3.From(shaped.Muscles[m].Path[k].Offset);
                Assert.True((before.Normalized() - after.Normalized()).Norm() < 1e-9, $"{Model.Muscles[m].Name} point {k}");
            }
        }
    }

    [Fact]
    public void Hand_shape_betas_go_through_mano_then_scale()
    {
        ManoModel mano = SyntheticMano(out _);
        double[] betas = [0.5, 0.5];
        HandModel viaShape = ShapedModel.Apply(Model, new HandShape(1.1, 1.0, betas), mano);
        HandModel direct = ShapedModel.Apply(ManoShape.Apply(Model, mano, betas), new HandShape(1.1));
        Shape.ShapedModelTests.AssertModelsClose(direct, viaShape, 1e-15);
    }

    [Fact]
    public void Kabsch_recovers_a_known_rigid_transform()
    {
        var rng = new Random(8);
        Vec3[] p = Enumerable.Range(0, 10).Select(_ => new Vec3(rng.NextDouble(), rng.NextDouble(), rng.NextDouble())).ToArray();
        Vec3[] q = p.Select(x => R0 * x + T0).ToArray();
        var fit = RigidFit.Kabsch(p, q);
        for (int i = 0; i < p.Length; i++)
        {
            Assert.True((fit.Apply(p[i]) - q[i]).Norm() < 1e-12);
        }
        Assert.Equal(1, fit.Rotation.Determinant(), 12);
    }
}
