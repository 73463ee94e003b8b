using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Biomechanics.Mano;
using MsMano.ModelFormats;
using MsMano.ModelFormats.Mano;
using MsMano.ModelFormats.Numpy;
using MsMano.ModelFormats.Pickle;
using MsMano.ModelFormats.Tests.Import;
using MsMano.TestSupport;
using MsMano.TestSupport.Formats;

namespace MsMano.ModelFormats.Tests.Mano;

public sealed class ManoModelFileTests
{
    private static readonly double[] Betas = [0.5, -1.2, 2.0, 0.3, -0.7, 1.1, 0.0, -2.5, 0.9, 1.7];

    [Fact]
    public void Pickle_with_sparse_regressor_and_chumpy_shapedirs_gives_the_joint_formula()
    {
        var fx = new ManoFixture(1);
        using var dir = new TempDir();
        string path = dir.File("MANO_RIGHT.pkl");
        PickleWriter.WriteFile(path, fx.PickleDict(), protocol: 2, python2Strings: true);
        ManoModel mano = ManoModelFile.Load(path);
        AssertJoints(fx.ExpectedJoints(Betas), mano.Joints(Betas));
        AssertJoints(fx.ExpectedJoints([]), mano.Joints([]));
        Assert.Equal(-1, mano.Parents[0]);
        Assert.Equal(13, mano.Parents[14]);
    }

    [Fact]
    public void Npz_with_dense_arrays_and_extra_shape_components_reads_the_same()
    {
        var fx = new ManoFixture(2);
        using var dir = new TempDir();
        string path = dir.File("mano.npz");
        NpzWriter.Write(path, fx.DenseArrays(shapeComponents: 20), compressed: true);
        ManoModel mano = ManoModelFile.Load(path);
        AssertJoints(fx.ExpectedJoints(Betas), mano.Joints(Betas));
    }

    [Fact]
    public void Missing_key_and_wrong_shape_name_the_file_and_key()
    {
        var fx = new ManoFixture(3);
        using var dir = new TempDir();
        Dictionary<object, object?> dict = fx.PickleDict();
        dict.Remove("weights");
        string p1 = dir.File("a.pkl");
        PickleWriter.WriteFile(p1, dict, protocol: 2);
        DataFormatException ex = Assert.Throws<DataFormatException>(() => ManoModelFile.Load(p1));
        Assert.Contains("a.pkl", ex.Message);
        Assert.Contains("weights", ex.Message);

        Dictionary<string, NdArray> arrays = fx.DenseArrays();
        arrays["v_template"] = NdArray.FromDoubles(new double[777 * 3], 777, 3);
        string p2 = dir.File("b.npz");
        NpzWriter.Write(p2, arrays, compressed: false);
        ex = Assert.Throws<DataFormatException>(() => ManoModelFile.Load(p2));
        Assert.Contains("v_template", ex.Message);
        Assert.Contains("(777, 3)", ex.Message);

        arrays = fx.DenseArrays();
        long[] badTree = arrays["kintree_table"].ToInt64Array();
        badTree[5] = 3;
        arrays["kintree_table"] = NdArray.FromInt64(badTree, 2, 16);
        string p3 = dir.File("c.npz");
        NpzWriter.Write(p3, arrays, compressed: false);
        ex = Assert.Throws<DataFormatException>(() => ManoModelFile.Load(p3));
        Assert.Contains("kintree_table", ex.Message);
    }

    [Fact]
    public void Too_many_betas_are_rejected()
    {
        var fx = new ManoFixture(4);
        using var dir = new TempDir();
        string path = dir.File("m.npz");
        NpzWriter.Write(path, fx.DenseArrays(), compressed: false);
        ManoModel mano = ManoModelFile.Load(path);
        Assert.Throws<ArgumentException>(() => mano.Joints(new double[11]));
    }

    private static void AssertJoints(Vec3[] expected, Vec3[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int j = 0; j < expected.Length; j++)
        {
            Assert.True((expected[j] - actual[j]).Norm() < 1e-14, $"joint {j}: {expected[j]} vs {actual[j]}");
        }
    }
}
