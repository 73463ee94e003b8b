using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Biomechanics.Mano;
using MsMano.TestSupport.Formats;

namespace MsMano.Evaluation.Tests.Mano;

/// <summary>
/// A MANO-shaped model with made-up values whose outputs are known by construction (never real MANO data): joint j
/// regresses exactly vertex j; every vertex is skinned to one joint; blend shapes are zero unless a test sets them.
/// </summary>
internal static class SyntheticManoModel
{
    public const int V = ManoModel.VertexCount;

    /// <summary>Rest joints of a stylised right hand (m): wrist at the origin, fingers along +x.</summary>
    public static readonly Vec3[] RestJoints = BuildJoints();

    /// <summary>The joint each tip vertex hangs on (index3, middle3, pinky3, ring3, thumb3), in <see cref="Evaluation.Mano.ManoLayer.TipVertices"/> order.</summary>
    public static readonly int[] TipJoints = [15, 3, 6, 12, 9];

    public static ManoModel Create(double[]? shapeDirs = null, double[]? poseDirs = null, double[]? handsMean = null, double[]? handsComponents = null)
    {
        double[] template = new double[V * 3];
        double[] weights = new double[V * 16];
        var rng = new Random(3);
        for (int k = 0; k < V; k++)
        {
            int joint = k < 16 ? k : rng.Next(16);
            Vec3 p = k < 16 ? RestJoints[k] : RestJoints[joint] + new Vec3(0.004 * rng.NextDouble(), 0.004 * rng.NextDouble(), 0.004 * rng.NextDouble());
            template[k * 3] = p.X;
            template[(k * 3) + 1] = p.Y;
            template[(k * 3) + 2] = p.Z;
            weights[(k * 16) + joint] = 1;
        }
        for (int t = 0; t < TipJoints.Length; t++)
        {
            int k = Evaluation.Mano.ManoLayer.TipVertices[t];
            int j = TipJoints[t];
            Vec3 tip = RestJoints[j] + (0.02 * (RestJoints[j] - RestJoints[j - 1]).Normalized());
            template[k * 3] = tip.X;
            template[(k * 3) + 1] = tip.Y;
            template[(k * 3) + 2] = tip.Z;
            System.Array.Clear(weights, k * 16, 16);
            weights[(k * 16) + j] = 1;
        }
        double[] regressor = new double[16 * V];
        for (int j = 0; j < 16; j++)
        {
            regressor[(j * V) + j] = 1;
        }
        double[] identity = new double[45 * 45];
        for (int i = 0; i < 45; i++)
        {
            identity[(i * 45) + i] = 1;
        }
        return new ManoModel
        {
            Source = "synthetic-mano",
            VTemplate = template,
            ShapeDirs = shapeDirs ?? new double[V * 3 * 10],
            JRegressor = regressor,
            Parents = [-1, 0, 1, 2, 0, 4, 5, 0, 7, 8, 0, 10, 11, 0, 13, 14],
            HandsComponents = handsComponents ?? identity,
            HandsMean = handsMean ?? new double[45],
            Weights = weights,
            Faces = new int[ManoModel.FaceCount * 3],
            PoseDirs = poseDirs ?? new double[V * 3 * ManoModel.PoseBlendCount],
        };
    }

    private static Vec3[] BuildJoints()
    {
        var joints = new Vec3[16];
        joints[0] = new Vec3(0, 0, 0);
        // index, middle, pinky, ring: MCP across the palm (y), then phalanges along +x; thumb off to the side.
        double[] y = [0.025, 0.005, -0.035, -0.015];
        for (int f = 0; f < 4; f++)
        {
            for (int s = 0; s < 3; s++)
            {
                joints[1 + (f * 3) + s] = new Vec3(0.09 + (0.03 * s), y[f], 0);
            }
        }
        for (int s = 0; s < 3; s++)
        {
            joints[13 + s] = new Vec3(0.025 + (0.03 * s), 0.04 + (0.015 * s), -0.01);
        }
        return joints;
    }
}

/// <summary>Writes a <see cref="ManoModel"/> as an .npz with MANO's keys (what a user's converted MANO file holds).</summary>
internal static class SyntheticManoNpz
{
    public static void Write(string path, ManoModel m)
    {
        const int v = ManoModel.VertexCount;
        long[] kintree = [4294967295, 0, 1, 2, 0, 4, 5, 0, 7, 8, 0, 10, 11, 0, 13, 14, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
        MsMano.TestSupport.Formats.NpzWriter.Write(path, new Dictionary<string, ModelFormats.Numpy.NdArray>
        {
            ["v_template"] = ModelFormats.Numpy.NdArray.FromDoubles(m.VTemplate, v, 3),
            ["shapedirs"] = ModelFormats.Numpy.NdArray.FromDoubles(m.ShapeDirs, v, 3, 10),
            ["J_regressor"] = ModelFormats.Numpy.NdArray.FromDoubles(m.JRegressor, 16, v),
            ["kintree_table"] = ModelFormats.Numpy.NdArray.FromInt64(kintree, 2, 16),
            ["hands_components"] = ModelFormats.Numpy.NdArray.FromDoubles(m.HandsComponents, 45, 45),
            ["hands_mean"] = ModelFormats.Numpy.NdArray.FromDoubles(m.HandsMean, 45),
            ["weights"] = ModelFormats.Numpy.NdArray.FromDoubles(m.Weights, v, 16),
            ["f"] = ModelFormats.Numpy.NdArray.FromUInt32(Enumerable.Range(0, 1538 * 3).Select(i => (uint)(i % v)).ToArray(), 1538, 3),
            ["posedirs"] = ModelFormats.Numpy.NdArray.FromDoubles(m.PoseDirs, v, 3, 135),
        }, compressed: false);
    }
}
