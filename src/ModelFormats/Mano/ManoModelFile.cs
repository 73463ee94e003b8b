using MsMano.Biomechanics.Mano;
using MsMano.Biomechanics.Model;
using MsMano.ModelFormats;
using MsMano.ModelFormats.Numpy;
using MsMano.ModelFormats.Pickle;

namespace MsMano.ModelFormats.Mano;

/// <summary>
/// Reads the licensed MANO model: the original Python-2 pickle (MANO_RIGHT.pkl: numpy arrays, a scipy csc_matrix
/// J_regressor and a chumpy Select shapedirs over 20 components) or an .npz holding the same keys as plain arrays
/// (J_regressor dense 16 x 778, shapedirs 778 x 3 x 10 or more). Errors name the file, the key and the shape.
/// </summary>
public static class ManoModelFile
{
    private static readonly string[] RequiredKeys =
        ["v_template", "shapedirs", "J_regressor", "kintree_table", "hands_components", "hands_mean", "weights", "f", "posedirs"];

    public static ManoModel Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"MANO model file not found: {path}", path);
        }
        return Path.GetExtension(path).Equals(".npz", StringComparison.OrdinalIgnoreCase) ? LoadNpz(path) : LoadPickle(path);
    }

    private static ManoModel LoadNpz(string path)
    {
        NpzFile npz = NpzReader.Read(path);
        var values = new Dictionary<string, object?>();
        foreach (string key in RequiredKeys)
        {
            values[key] = npz.Require(key);
        }
        return Build(path, values);
    }

    private static ManoModel LoadPickle(string path)
    {
        object? root = PickleReader.Read(path);
        if (root is not Dictionary<object, object?> dict)
        {
            throw new DataFormatException(path, "(root)", $"expected a dict of MANO arrays, found {Describe(root)}");
        }
        var values = new Dictionary<string, object?>();
        foreach (string key in RequiredKeys)
        {
            if (!dict.TryGetValue(key, out object? value))
            {
                throw new DataFormatException(path, key, "missing key (is this a MANO model file?)");
            }
            values[key] = value;
        }
        return Build(path, values);
    }

    private static ManoModel Build(string source, Dictionary<string, object?> v)
    {
        const int n = ManoModel.VertexCount;
        double[] template = Dense(source, "v_template", v["v_template"], n, 3);
        double[] shapeDirs = ShapeDirs(source, v["shapedirs"]);
        double[] regressor = Regressor(source, v["J_regressor"]);
        int[] parents = Parents(source, v["kintree_table"]);
        return new ManoModel
        {
            Source = source,
            VTemplate = template,
            ShapeDirs = shapeDirs,
            JRegressor = regressor,
            Parents = parents,
            HandsComponents = Dense(source, "hands_components", v["hands_components"], 45, 45),
            HandsMean = Dense(source, "hands_mean", v["hands_mean"], 45),
            Weights = Dense(source, "weights", v["weights"], n, ManoModel.JointCount),
            Faces = Array(source, "f", v["f"], ManoModel.FaceCount, 3).ToInt64Array().Select(x => checked((int)x)).ToArray(),
            PoseDirs = Dense(source, "posedirs", v["posedirs"], n, 3, ManoModel.PoseBlendCount),
        };
    }

    private static NdArray Array(string source, string key, object? value, params int[] shape)
    {
        if (value is not NdArray a)
        {
            throw new DataFormatException(source, key, $"expected a numpy array of shape ({string.Join(", ", shape)}), found {Describe(value)}");
        }
        if (!a.HasShape(shape))
        {
            throw new DataFormatException(source, key, $"expected shape ({string.Join(", ", shape)}), found {a.ShapeText}");
        }
        return a;
    }

    private static double[] Dense(string source, string key, object? value, params int[] shape)
    {
        double[] d = Array(source, key, value, shape).ToDoubleArray();
        for (int i = 0; i < d.Length; i++)
        {
            if (!double.IsFinite(d[i]))
            {
                throw new DataFormatException(source, $"{key}[{i}]", $"non-finite value {d[i]}");
            }
        }
        return d;
    }

    /// <summary>shapedirs: a chumpy Select (state a = Ch with x, idxs, preferred_shape), a Ch, or a plain array; first 10 components.</summary>
    private static double[] ShapeDirs(string source, object? value)
    {
        const string key = "shapedirs";
        NdArray full;
        switch (value)
        {
            case NdArray a:
                full = a;
                break;
            case PickleObject { Name: "Select" } select:
            {
                NdArray x = ChumpyValue(source, key, State(source, key, select, "a"));
                NdArray idxs = State(source, key, select, "idxs") as NdArray
                    ?? throw new DataFormatException(source, $"{key}.idxs", "expected an integer array");
                int[] shape = PreferredShape(source, State(source, key, select, "preferred_shape"));
                double[] xs = x.ToDoubleArray();
                long[] ix = idxs.ToInt64Array();
                if (ix.Length != NdArray.ElementCount(shape))
                {
                    throw new DataFormatException(source, $"{key}.idxs", $"{ix.Length} indices do not fill preferred_shape ({string.Join(", ", shape)})");
                }
                    double[] picked = new double[ix.Length];
                for (int i = 0; i < ix.Length; i++)
                {
                    if (ix[i] < 0 || ix[i] >= xs.Length)
                    {
                        throw new DataFormatException(source, $"{key}.idxs[{i}]", $"index {ix[i]} is outside x of {xs.Length} values");
                    }
                    picked[i] = xs[ix[i]];
                }
                full = NdArray.FromDoubles(picked, shape);
                break;
            }
            case PickleObject ch:
                full = ChumpyValue(source, key, ch);
                break;
            default:
                throw new DataFormatException(source, key, $"expected an array or a chumpy object, found {Describe(value)}");
        }
        if (full.Rank != 3 || full.Shape[0] != ManoModel.VertexCount || full.Shape[1] != 3 || full.Shape[2] < ManoModel.ShapeCount)
        {
            throw new DataFormatException(source, key, $"expected shape (778, 3, >=10), found {full.ShapeText}");
        }
        int k = full.Shape[2];
        double[] all = full.ToDoubleArray();
        double[] first = new double[ManoModel.VertexCount * 3 * ManoModel.ShapeCount];
        for (int i = 0; i < ManoModel.VertexCount * 3; i++)
        {
            System.Array.Copy(all, i * k, first, i * ManoModel.ShapeCount, ManoModel.ShapeCount);
        }
        return first;
    }

    private static NdArray ChumpyValue(string source, string key, object? value) => value switch
    {
        NdArray a => a,
        PickleObject ch => State(source, key, ch, "x") as NdArray
            ?? throw new DataFormatException(source, $"{key}.x", "the chumpy object holds no array x"),
        _ => throw new DataFormatException(source, key, $"expected a chumpy Ch, found {Describe(value)}"),
    };

    private static object? State(string source, string key, PickleObject o, string name) =>
        o.TryGetStateValue(name, out object? v) ? v : throw new DataFormatException(source, $"{key}.{name}", $"missing in the pickled {o.FullName}");

    private static int[] PreferredShape(string source, object? value)
    {
        IEnumerable<object?> items = value switch
        {
            object?[] t => t,
            List<object?> l => l,
            NdArray a => a.ToInt64Array().Cast<object?>(),
            _ => throw new DataFormatException(source, "shapedirs.preferred_shape", $"expected a tuple, found {Describe(value)}"),
        };
        return items.Select(x => x is long l ? checked((int)l) : throw new DataFormatException(source, "shapedirs.preferred_shape", "expected integers")).ToArray();
    }

    /// <summary>J_regressor: scipy csc_matrix (data, indices, indptr, _shape) or a dense (16, 778) array.</summary>
    private static double[] Regressor(string source, object? value)
    {
        const string key = "J_regressor";
        const int rows = ManoModel.JointCount, cols = ManoModel.VertexCount;
        if (value is NdArray)
        {
            return Dense(source, key, value, rows, cols);
        }
        if (value is not PickleObject sparse || !sparse.Name.StartsWith("csc_matrix", StringComparison.Ordinal))
        {
            throw new DataFormatException(source, key, $"expected a scipy csc_matrix or a dense array, found {Describe(value)}");
        }
        int[] shape = PreferredShape(source, State(source, key, sparse, "_shape"));
        if (!shape.SequenceEqual(new[] { rows, cols }))
        {
            throw new DataFormatException(source, $"{key}._shape", $"expected (16, 778), found ({string.Join(", ", shape)})");
        }
        double[] data = (State(source, key, sparse, "data") as NdArray ?? throw new DataFormatException(source, $"{key}.data", "expected an array")).ToDoubleArray();
        long[] indices = (State(source, key, sparse, "indices") as NdArray ?? throw new DataFormatException(source, $"{key}.indices", "expected an array")).ToInt64Array();
        long[] indptr = (State(source, key, sparse, "indptr") as NdArray ?? throw new DataFormatException(source, $"{key}.indptr", "expected an array")).ToInt64Array();
        if (indptr.Length != cols + 1 || indptr[0] != 0 || indptr[^1] != data.Length || indices.Length != data.Length)
        {
            throw new DataFormatException(source, key, $"inconsistent csc arrays (indptr {indptr.Length}, indices {indices.Length}, data {data.Length})");
        }
        double[] dense = new double[rows * cols];
        for (int c = 0; c < cols; c++)
        {
            if (indptr[c + 1] < indptr[c])
            {
                throw new DataFormatException(source, $"{key}.indptr[{c + 1}]", "indptr must not decrease");
            }
            for (long k = indptr[c]; k < indptr[c + 1]; k++)
            {
                long r = indices[k];
                if (r < 0 || r >= rows || !double.IsFinite(data[k]))
                {
                    throw new DataFormatException(source, $"{key}.indices[{k}]", $"row {r} / value {data[k]} is invalid");
                }
                dense[r * cols + c] += data[k];
            }
        }
        return dense;
    }

    private static int[] Parents(string source, object? value)
    {
        long[] table = Array(source, "kintree_table", value, 2, ManoModel.JointCount).ToInt64Array();
        int[] parents = new int[ManoModel.JointCount];
        for (int j = 0; j < ManoModel.JointCount; j++)
        {
            long p = table[j];
            parents[j] = j == 0 ? -1 : checked((int)p);
            if (table[ManoModel.JointCount + j] != j || (j > 0 && parents[j] != HandModelValidation.ManoParents[j]))
            {
                throw new DataFormatException(source, $"kintree_table[:, {j}]", $"({p}, {table[ManoModel.JointCount + j]}) does not match MANO's joint tree");
            }
        }
        return parents;
    }

    private static string Describe(object? value) => value switch
    {
        null => "None",
        NdArray a => $"an array of shape {a.ShapeText}",
        PickleObject o => o.FullName,
        _ => value.GetType().Name,
    };
}
