using MsMano.Biomechanics.Kinematics;
using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Biomechanics.Mano;
using MsMano.Biomechanics.Model;
using MsMano.Evaluation.Datasets.MotionSources;
using MsMano.Evaluation.Mano;

namespace MsMano.Evaluation.Tests.Mano;

public sealed class ManoLayerTests
{
    private const double Tol = 1e-12;

    private static Vec3 Joint(double[] joints63, int i) => new(joints63[i * 3], joints63[(i * 3) + 1], joints63[(i * 3) + 2]);

    private static Vec3 Vertex(double[] vertices, int k) => new(vertices[k * 3], vertices[(k * 3) + 1], vertices[(k * 3) + 2]);

    private static Vec3 TemplateVertex(ManoModel m, int k) => new(m.VTemplate[k * 3], m.VTemplate[(k * 3) + 1], m.VTemplate[(k * 3) + 2]);

    private static void Close(Vec3 expected, Vec3 actual, string what, double tol = Tol) =>
        Assert.True((expected - actual).Norm() < tol, $"{what}: expected {expected}, got {actual}");

    [Fact]
    public void Rest_pose_gives_the_template_and_the_regressed_joints_in_DexYcb_order()
    {
        ManoModel model = SyntheticManoModel.Create(poseDirs: Enumerable.Repeat(0.01, SyntheticManoModel.V * 3 * 135).ToArray());
        var layer = new ManoLayer(model);
        ShapedMano hand = layer.Shape([]);
        double[] vertices = layer.Vertices(hand, new double[48], default);
        for (int k = 0; k < SyntheticManoModel.V; k++)
        {
            // Pose blend shapes vanish at rest (R_j - I = 0) whatever posedirs holds.
            Close(TemplateVertex(model, k), Vertex(vertices, k), $"vertex {k}");
        }

        double[] joints = new double[63];
        layer.Joints21(hand, new double[48], new Vec3(0.1, -0.2, 0.5), joints);
        // DexYCB order: wrist, thumb mcp/pip/dip/tip, index ..., little ...; MANO's thumb is joints 13-15, pinky 7-9.
        int[] mano = [0, 13, 14, 15, -1, 1, 2, 3, -1, 4, 5, 6, -1, 10, 11, 12, -1, 7, 8, 9, -1];
        int[] tips = [745, 317, 444, 556, 673];
        for (int i = 0; i < 21; i++)
        {
            Vec3 expected = mano[i] >= 0 ? SyntheticManoModel.RestJoints[mano[i]] : TemplateVertex(model, tips[(i / 4) - 1]);
            Close(expected + new Vec3(0.1, -0.2, 0.5), Joint(joints, i), $"joint {i}");
        }
    }

    [Fact]
    public void One_joint_rotated_turns_its_chain_about_that_joint_only()
    {
        var layer = new ManoLayer(SyntheticManoModel.Create());
        ShapedMano hand = layer.Shape([]);
        double[] pose = new double[48];
        // index1 (MANO joint 1) flexes 90 degrees about y.
        pose[3 + 1] = Math.PI / 2;
        double[] joints = new double[63];
        layer.Joints21(hand, pose, default, joints);
        var r = Mat3.Exp(new Vec3(0, Math.PI / 2, 0));
        Vec3 pivot = SyntheticManoModel.RestJoints[1];
        Vec3 Turned(Vec3 p) => pivot + (r * (p - pivot));
        Close(pivot, Joint(joints, 5), "index mcp stays");
        Close(Turned(SyntheticManoModel.RestJoints[2]), Joint(joints, 6), "index pip");
        Close(Turned(SyntheticManoModel.RestJoints[3]), Joint(joints, 7), "index dip");
        Close(Turned(TemplateVertex(layer.Model, 317)), Joint(joints, 8), "index tip vertex");
        // x along the finger turns to -z: a 90-degree flexion puts the tip (6 cm of phalanges + 2 cm) below the MCP.
        Assert.Equal(-0.08, Joint(joints, 8).Z - pivot.Z, 9);
        for (int i = 0; i < 21; i++)
        {
            if (i is < 5 or > 8)
            {
                Vec3 rest = i == 0 ? SyntheticManoModel.RestJoints[0] : Joint(RestJoints(layer), i);
                Close(rest, Joint(joints, i), $"joint {i} off the index chain");
            }
        }
    }

    [Fact]
    public void Global_rotation_turns_about_the_wrist_and_translation_is_added_after()
    {
        var layer = new ManoLayer(SyntheticManoModel.Create());
        ShapedMano hand = layer.Shape([]);
        double[] pose = new double[48];
        pose[0] = 0.3;
        pose[1] = -1.2;
        pose[2] = 0.7;
        var t = new Vec3(0.05, 0.1, 0.6);
        double[] joints = new double[63];
        layer.Joints21(hand, pose, t, joints);
        var r = Mat3.Exp(new Vec3(0.3, -1.2, 0.7));
        double[] rest = RestJoints(layer);
        for (int i = 0; i < 21; i++)
        {
            Close((r * Joint(rest, i)) + t, Joint(joints, i), $"joint {i}");
        }
    }

    [Fact]
    public void Shape_blend_shapes_move_vertices_and_the_regressed_joints()
    {
        double[] shapeDirs = new double[SyntheticManoModel.V * 3 * 10];
        // beta_0 stretches every vertex along x by 10 % of x; beta_3 lifts every vertex 1 mm in z.
        ManoModel baseModel = SyntheticManoModel.Create();
        for (int k = 0; k < SyntheticManoModel.V; k++)
        {
            shapeDirs[(k * 3 * 10) + 0] = 0.1 * baseModel.VTemplate[k * 3];
            shapeDirs[(((k * 3) + 2) * 10) + 3] = 0.001;
        }
        var layer = new ManoLayer(SyntheticManoModel.Create(shapeDirs: shapeDirs));
        ShapedMano hand = layer.Shape([2.0, 0, 0, -1.0]);
        double[] joints = new double[63];
        layer.Joints21(hand, new double[48], default, joints);
        double[] rest = RestJoints(new ManoLayer(baseModel));
        for (int i = 0; i < 21; i++)
        {
            Vec3 r = Joint(rest, i);
            Close(new Vec3(1.2 * r.X, r.Y, r.Z - 0.001), Joint(joints, i), $"joint {i}");
        }
    }

    [Fact]
    public void Pose_blend_shapes_add_posedirs_times_rotation_minus_identity()
    {
        double[] poseDirs = new double[SyntheticManoModel.V * 3 * 135];
        // Vertex 100's y moves by 1 cm per unit of joint 1's (R - I)[0, 0] (feature 0), and by 2 cm per (R - I)[2, 0] (feature 6).
        const int k = 100;
        poseDirs[(((k * 3) + 1) * 135) + 0] = 0.01;
        poseDirs[(((k * 3) + 1) * 135) + 6] = 0.02;
        ManoModel model = SyntheticManoModel.Create(poseDirs: poseDirs);
        var layer = new ManoLayer(model);
        ShapedMano hand = layer.Shape([]);
        double[] pose = new double[48];
        pose[3 + 1] = 0.5;
        double[] vertices = layer.Vertices(hand, pose, default);
        var r = Mat3.Exp(new Vec3(0, 0.5, 0));
        int owner = Enumerable.Range(0, 16).Single(j => model.Weights[(k * 16) + j] == 1);
        Vec3 blended = TemplateVertex(model, k) + new Vec3(0, (0.01 * (r[0, 0] - 1)) + (0.02 * r[2, 0]), 0);
        Vec3 expected = owner is 1 or 2 or 3
            ? SyntheticManoModel.RestJoints[1] + (r * (blended - SyntheticManoModel.RestJoints[1]))
            : blended;
        Close(expected, Vertex(vertices, k), $"vertex {k} (on joint {owner})");
    }

    [Fact]
    public void Pca_coefficients_decode_to_mean_plus_component_rows()
    {
        double[] mean = Enumerable.Range(0, 45).Select(i => 0.01 * i).ToArray();
        double[] components = new double[45 * 45];
        var rng = new Random(7);
        for (int i = 0; i < components.Length; i++)
        {
            components[i] = rng.NextDouble() - 0.5;
        }
        var layer = new ManoLayer(SyntheticManoModel.Create(handsMean: mean, handsComponents: components));
        double[] coefficients = [0.5, -1.0, 2.0];
        double[] full = layer.FullPoseFromPca(coefficients);
        for (int i = 0; i < 45; i++)
        {
            double expected = mean[i] + (0.5 * components[i]) - (1.0 * components[45 + i]) + (2.0 * components[90 + i]);
            Assert.Equal(expected, full[i], 12);
        }
        Assert.Equal(components[45 + 4], layer.FullPoseFromPca([0.0, 1.0], addMean: false)[4], 15);
    }

    [Fact]
    public void Hand_frame_poses_convert_back_to_the_same_mano_pose()
    {
        HandModel model = HandModelFile.LoadDefault();
        var kinematics = new HandKinematics(model);
        ManoModel mano = SyntheticManoModel.Create();
        var converter = new ManoPoseConverter(mano, kinematics);
        var rng = new Random(11);
        double[] original = Enumerable.Range(0, 48).Select(_ => (rng.NextDouble() - 0.5) * 1.2).ToArray();
        float[] hand = new float[48];
        converter.ToHandPose(original.AsSpan(0, 3), original.AsSpan(3), hand);
        double[] back = new double[48];
        converter.ToManoPose(hand, back);
        for (int i = 0; i < 48; i++)
        {
            Assert.Equal(original[i], back[i], 5);
        }
    }

    private static double[] RestJoints(ManoLayer layer)
    {
        double[] joints = new double[63];
        layer.Joints21(layer.Shape([]), new double[48], default, joints);
        return joints;
    }
}
