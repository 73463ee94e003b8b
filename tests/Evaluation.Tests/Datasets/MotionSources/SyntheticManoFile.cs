using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.ModelFormats.Numpy;
using MsMano.TestSupport.Formats;

namespace MsMano.Evaluation.Tests.Datasets.MotionSources;

/// <summary>
/// A made-up MANO model file with MANO's keys and shapes (never real MANO data): template joint j is vertex j, placed at
/// the given joints; hands_components is an orthogonal Householder matrix so PCA coefficients invert exactly.
/// </summary>
internal static class SyntheticManoFile
{
    private const int V = 778;

    public static (double[] Components, double[] Mean) Write(string path, IReadOnlyList<Vec3> joints, int seed)
    {
        var rng = new Random(seed);
        double[] template = new double[V * 3];
        double[] regressor = new double[16 * V];
        for (int j = 0; j < 16; j++)
        {
            template[j * 3] = joints[j].X;
            template[(j * 3) + 1] = joints[j].Y;
            template[(j * 3) + 2] = joints[j].Z;
            regressor[(j * V) + j] = 1;
        }

        double[] v = Enumerable.Range(0, 45).Select(_ => rng.NextDouble() - 0.5).ToArray();
        double vv = v.Sum(x => x * x);
        double[] components = new double[45 * 45];
        for (int r = 0; r < 45; r++)
        {
            for (int c = 0; c < 45; c++)
            {
                components[(r * 45) + c] = (r == c ? 1 : 0) - (2 * v[r] * v[c] / vv);
            }
        }

        double[] mean = Enumerable.Range(0, 45).Select(_ => 0.2 * (rng.NextDouble() - 0.5)).ToArray();
        long[] kintree = [4294967295, 0, 1, 2, 0, 4, 5, 0, 7, 8, 0, 10, 11, 0, 13, 14, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
        NpzWriter.Write(path, new Dictionary<string, NdArray>
        {
            ["v_template"] = NdArray.FromDoubles(template, V, 3),
            ["shapedirs"] = NdArray.FromDoubles(new double[V * 3 * 10], V, 3, 10),
            ["J_regressor"] = NdArray.FromDoubles(regressor, 16, V),
            ["kintree_table"] = NdArray.FromInt64(kintree, 2, 16),
            ["hands_components"] = NdArray.FromDoubles(components, 45, 45),
            ["hands_mean"] = NdArray.FromDoubles(mean, 45),
            ["weights"] = NdArray.FromDoubles(new double[V * 16], V, 16),
            ["f"] = NdArray.FromUInt32(Enumerable.Range(0, 1538 * 3).Select(i => (uint)(i % V)).ToArray(), 1538, 3),
            ["posedirs"] = NdArray.FromDoubles(new double[V * 3 * 135], V, 3, 135),
        }, compressed: true);
        return (components, mean);
    }
}
