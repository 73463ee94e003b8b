using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Biomechanics.Mano;
using MsMano.Evaluation.Metrics;

namespace MsMano.Evaluation.Mano;

/// <summary>
/// The full MANO layer as manopth computes it (manolayer.py), on the user's MANO file: shape blend shapes
/// (v_template + shapedirs β), joints J = J_regressor v_shaped, pose blend shapes (posedirs · flatten(R_j − I),
/// j = 1..15), forward kinematics about J and linear blend skinning. Output joints are the 16 posed joints plus the
/// fingertip vertices [745, 317, 444, 556, 673] in DexYCB's 21-joint order, in metres, translation added after
/// articulation (so the wrist is J0(β) + trans, as in the DexYCB labels). Poses are full axis-angle (global 3 +
/// 15 × 3, MANO frame); <see cref="FullPoseFromPca"/> decodes DexYCB's PCA-coded pose_m first.
/// </summary>
public sealed class ManoLayer
{
    /// <summary>manopth's right-hand fingertip vertices: thumb, index, middle, ring, little.</summary>
    public static readonly IReadOnlyList<int> TipVertices = [745, 317, 444, 556, 673];

    /// <summary>cat(J16, tips)[order] gives DexYCB's joint order (manopth manolayer.py:260).</summary>
    public static readonly IReadOnlyList<int> DexYcbOrder = [0, 13, 14, 15, 16, 1, 2, 3, 17, 4, 5, 6, 18, 10, 11, 12, 19, 7, 8, 9, 20];

    private const int V = ManoModel.VertexCount;
    private const int J = ManoModel.JointCount;

    public ManoLayer(ManoModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
    }

    public ManoModel Model { get; }

    /// <summary>A subject's hand at rest: shaped vertices and rest joints (computed once per β).</summary>
    public ShapedMano Shape(ReadOnlySpan<double> betas)
    {
        double[] vertices = Model.ShapedVertices(betas);
        Vec3[] joints = Model.Joints(betas);
        return new ShapedMano(betas.ToArray(), vertices, joints);
    }

    /// <summary>hands_mean + coefficients · hands_components (rows), DexYCB's flat_hand_mean=False convention.</summary>
    public double[] FullPoseFromPca(ReadOnlySpan<double> coefficients, bool addMean = true)
    {
        if (coefficients.Length > 45)
        {
            throw new ArgumentException($"MANO has 45 PCA components, got {coefficients.Length} coefficients.", nameof(coefficients));
        }
        double[] full = addMean ? (double[])Model.HandsMean.Clone() : new double[45];
        for (int c = 0; c < coefficients.Length; c++)
        {
            double k = coefficients[c];
            for (int i = 0; i < 45; i++)
            {
                full[i] += k * Model.HandsComponents[(c * 45) + i];
            }
        }
        return full;
    }

    /// <summary>Posed vertices (778 × 3, m) of the full pose (48: global + 15 joints, axis-angle).</summary>
    public double[] Vertices(ShapedMano hand, ReadOnlySpan<double> pose48, Vec3 translation)
    {
        RigidTransform[] transforms = Articulate(hand, pose48, out Mat3[] rotations);
        double[] result = new double[V * 3];
        double[] feature = PoseFeature(rotations);
        for (int k = 0; k < V; k++)
        {
            Vec3 p = Skin(hand, transforms, feature, k);
            result[k * 3] = p.X + translation.X;
            result[(k * 3) + 1] = p.Y + translation.Y;
            result[(k * 3) + 2] = p.Z + translation.Z;
        }
        return result;
    }

    /// <summary>The 21 joints (DexYCB order, m) of the full pose: 16 posed joints and 5 skinned fingertip vertices.</summary>
    public void Joints21(ShapedMano hand, ReadOnlySpan<double> pose48, Vec3 translation, Span<double> joints63)
    {
        if (joints63.Length != HandJoints.Count * 3)
        {
            throw new ArgumentException($"Expected room for 63 numbers, got {joints63.Length}.", nameof(joints63));
        }
        RigidTransform[] transforms = Articulate(hand, pose48, out Mat3[] rotations);
        double[] feature = PoseFeature(rotations);
        Span<Vec3> all = stackalloc Vec3[HandJoints.Count];
        for (int j = 0; j < J; j++)
        {
            all[j] = transforms[j].Translation;
        }
        for (int t = 0; t < TipVertices.Count; t++)
        {
            all[J + t] = Skin(hand, transforms, feature, TipVertices[t]);
        }
        for (int i = 0; i < HandJoints.Count; i++)
        {
            Vec3 p = all[DexYcbOrder[i]] + translation;
            joints63[i * 3] = p.X;
            joints63[(i * 3) + 1] = p.Y;
            joints63[(i * 3) + 2] = p.Z;
        }
    }

    /// <summary>World transforms G_j (rotation, posed joint position) about the rest joints, manopth's th_results_global.</summary>
    private RigidTransform[] Articulate(ShapedMano hand, ReadOnlySpan<double> pose48, out Mat3[] rotations)
    {
        if (pose48.Length != 48)
        {
            throw new ArgumentException($"A MANO pose has 48 numbers (global 3 + 15 joints x 3), got {pose48.Length}.", nameof(pose48));
        }
        rotations = new Mat3[J];
        var global = new RigidTransform[J];
        for (int j = 0; j < J; j++)
        {
            rotations[j] = Mat3.Exp(new Vec3(pose48[j * 3], pose48[(j * 3) + 1], pose48[(j * 3) + 2]));
            int parent = Model.Parents[j];
            if (parent < 0)
            {
                global[j] = new RigidTransform(rotations[j], hand.Joints[j]);
            }
            else
            {
                RigidTransform p = global[parent];
                global[j] = new RigidTransform(p.Rotation * rotations[j], p.Translation + (p.Rotation * (hand.Joints[j] - hand.Joints[parent])));
            }
        }
        return global;
    }

    private static double[] PoseFeature(Mat3[] rotations)
    {
        double[] feature = new double[ManoModel.PoseBlendCount];
        for (int j = 1; j < J; j++)
        {
            Mat3 r = rotations[j];
            int o = (j - 1) * 9;
            for (int a = 0; a < 3; a++)
            {
                for (int b = 0; b < 3; b++)
                {
                    feature[o + (a * 3) + b] = r[a, b] - (a == b ? 1 : 0);
                }
            }
        }
        return feature;
    }

    /// <summary>Vertex k: pose-blended rest position, then Σ_j w_kj G_j (v − J_j).</summary>
    private Vec3 Skin(ShapedMano hand, RigidTransform[] transforms, double[] feature, int k)
    {
        Span<double> posed = stackalloc double[3];
        for (int a = 0; a < 3; a++)
        {
            double sum = hand.Vertices[(k * 3) + a];
            int row = ((k * 3) + a) * ManoModel.PoseBlendCount;
            for (int p = 0; p < ManoModel.PoseBlendCount; p++)
            {
                sum += Model.PoseDirs[row + p] * feature[p];
            }
            posed[a] = sum;
        }
        var rest = new Vec3(posed[0], posed[1], posed[2]);
        Vec3 result = default;
        for (int j = 0; j < J; j++)
        {
            double w = Model.Weights[(k * J) + j];
            if (w != 0)
            {
                RigidTransform g = transforms[j];
                result += w * (g.Translation + (g.Rotation * (rest - hand.Joints[j])));
            }
        }
        return result;
    }

    private readonly record struct RigidTransform(Mat3 Rotation, Vec3 Translation);
}

/// <summary>One subject's MANO hand at rest: its β, shaped vertices (778 × 3) and regressed rest joints (m).</summary>
public sealed record ShapedMano(double[] Betas, double[] Vertices, Vec3[] Joints);
