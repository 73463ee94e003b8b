using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.ModelFormats.Numpy;
using MsMano.ModelFormats.Pickle;

namespace MsMano.TestSupport;

/// <summary>A synthetic MANO model with random values in the licensed file's keys and shapes (never real MANO data).</summary>
public sealed class ManoFixture
{
    public const int V = 778;

    public ManoFixture(int seed, Vec3[]? firstJoints = null)
    {
        var rng = new Random(seed);
        double R() => rng.NextDouble() * 2 - 1;
        Template = Enumerable.Range(0, V * 3).Select(_ => 0.05 * R()).ToArray();
        ShapeDirs20 = Enumerable.Range(0, V * 3 * 20).Select(_ => 0.002 * R()).ToArray();
        Regressor = new double[16 * V];
        if (firstJoints is not null)
        {
            // Joint j regresses exactly vertex j, which sits at the wanted template joint.
            for (int j = 0; j < 16; j++)
            {
                Regressor[j * V + j] = 1;
                Template[j * 3] = firstJoints[j].X;
                Template[j * 3 + 1] = firstJoints[j].Y;
                Template[j * 3 + 2] = firstJoints[j].Z;
            }
        }
        else
        {
            for (int j = 0; j < 16; j++)
            {
                for (int k = 0; k < 6; k++)
                {
                    Regressor[j * V + rng.Next(V)] += 1.0 / 6;
                }
            }
        }
    }

    public double[] Template { get; }
    public double[] ShapeDirs20 { get; }
    public double[] Regressor { get; }

    public Dictionary<string, NdArray> DenseArrays(int shapeComponents = 10)
    {
        var rng = new Random(99);
        double[] shapedirs = new double[V * 3 * shapeComponents];
        for (int i = 0; i < V * 3; i++)
        {
            Array.Copy(ShapeDirs20, i * 20, shapedirs, i * shapeComponents, shapeComponents);
        }
        long[] kintree = [4294967295, 0, 1, 2, 0, 4, 5, 0, 7, 8, 0, 10, 11, 0, 13, 14, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
        return new Dictionary<string, NdArray>
        {
            ["v_template"] = NdArray.FromDoubles(Template, V, 3),
            ["shapedirs"] = NdArray.FromDoubles(shapedirs, V, 3, shapeComponents),
            ["J_regressor"] = NdArray.FromDoubles(Regressor, 16, V),
            ["kintree_table"] = NdArray.FromInt64(kintree, 2, 16),
            ["hands_components"] = NdArray.FromDoubles(Enumerable.Range(0, 45 * 45).Select(_ => rng.NextDouble()).ToArray(), 45, 45),
            ["hands_mean"] = NdArray.FromDoubles(Enumerable.Range(0, 45).Select(_ => rng.NextDouble()).ToArray(), 45),
            ["weights"] = NdArray.FromDoubles(Enumerable.Range(0, V * 16).Select(_ => rng.NextDouble()).ToArray(), V, 16),
            ["f"] = NdArray.FromUInt32(Enumerable.Range(0, 1538 * 3).Select(i => (uint)(i % V)).ToArray(), 1538, 3),
            ["posedirs"] = NdArray.FromDoubles(Enumerable.Range(0, V * 3 * 135).Select(_ => 0.001 * rng.NextDouble()).ToArray(), V, 3, 135),
        };
    }

    /// <summary>The MANO_RIGHT.pkl layout: csc_matrix J_regressor and a chumpy Select over 20 shape components.</summary>
    public Dictionary<object, object?> PickleDict()
    {
        Dictionary<string, NdArray> dense = DenseArrays();
        var dict = new Dictionary<object, object?>();
        foreach ((string k, NdArray v) in dense)
        {
            dict[k] = v;
        }
        var data = new List<double>();
        var indices = new List<int>();
        var indptr = new List<int> { 0 };
        for (int c = 0; c < V; c++)
        {
            for (int r = 0; r < 16; r++)
            {
                if (Regressor[r * V + c] != 0)
                {
                    data.Add(Regressor[r * V + c]);
                    indices.Add(r);
                }
            }
            indptr.Add(data.Count);
        }
        dict["J_regressor"] = new PickleObject("scipy.sparse.csc", "csc_matrix", [])
        {
            State = new Dictionary<object, object?>
            {
                ["data"] = NdArray.FromDoubles(data.ToArray(), data.Count),
                ["indices"] = NdArray.FromInt32(indices.ToArray(), indices.Count),
                ["indptr"] = NdArray.FromInt32(indptr.ToArray(), indptr.Count),
                ["_shape"] = new object?[] { 16L, (long)V },
                ["maxprint"] = 50L,
            },
        };
        // Select picks x.ravel()[idxs]: the first 10 of 20 components per (vertex, axis).
        long[] idxs = new long[V * 3 * 10];
        for (int i = 0; i < V * 3; i++)
        {
            for (int b = 0; b < 10; b++)
            {
                idxs[i * 10 + b] = i * 20 + b;
            }
        }
        var ch = new PickleObject("chumpy.ch", "Ch", []) { State = new Dictionary<object, object?> { ["x"] = NdArray.FromDoubles(ShapeDirs20, V, 3, 20) } };
        dict["shapedirs"] = new PickleObject("chumpy.reordering", "Select", [])
        {
            State = new Dictionary<object, object?>
            {
                ["a"] = ch,
                ["idxs"] = NdArray.FromInt64(idxs, idxs.Length),
                ["preferred_shape"] = new object?[] { (long)V, 3L, 10L },
            },
        };
        dict["bs_style"] = "lbs";
        return dict;
    }

    /// <summary>J = J_regressor (v_template + shapedirs[:, :, :10] beta), computed directly.</summary>
    public Vec3[] ExpectedJoints(double[] betas)
    {
        var joints = new Vec3[16];
        for (int j = 0; j < 16; j++)
        {
            double[] sum = new double[3];
            for (int k = 0; k < V; k++)
            {
                double w = Regressor[j * V + k];
                for (int a = 0; a < 3; a++)
                {
                    double v = Template[k * 3 + a];
                    for (int b = 0; b < betas.Length; b++)
                    {
                        v += ShapeDirs20[(k * 3 + a) * 20 + b] * betas[b];
                    }
                    sum[a] += w * v;
                }
            }
            joints[j] = new Vec3(sum[0], sum[1], sum[2]);
        }
        return joints;
    }
}
