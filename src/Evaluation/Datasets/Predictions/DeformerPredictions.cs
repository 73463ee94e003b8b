using System.Text.Json;
using MsMano.Evaluation.Datasets.DexYcb;
using MsMano.Evaluation.Metrics;
using MsMano.ModelFormats;

namespace MsMano.Evaluation.Datasets.Predictions;

/// <summary>
/// Deformer's pred_*.json (utils/utils.py dump): [xyz_list N×21×3, verts_list N×778×3], metres, DexYCB joint
/// order, MANO frame without translation (only root-relative and PA metrics are meaningful).
/// Quirk: the released code multiplies DexYCB predictions by diag(1, −1, −1) (an HO3D OpenGL conversion applied
/// unconditionally); <c>undoCoordinateFlip</c> (default true) negates y and z again to get back to the OpenCV frame.
/// The file is parsed with a forward-only reader so the large vertex list is validated but never materialised.
/// </summary>
public static class DeformerPredictions
{
    public const int VertexCount = 778;

    public const string Method = "Deformer";

    /// <summary>True when the file is a JSON list (Deformer's dump), not an object (the project's format).</summary>
    public static bool IsDump(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }
        using FileStream stream = File.OpenRead(path);
        int b;
        while ((b = stream.ReadByte()) is ' ' or '\t' or '\r' or '\n' or 0xEF or 0xBB or 0xBF)
        {
        }
        return b == '[';
    }

    /// <summary>
    /// The dump as predictions for DexYCB s0 <paramref name="split"/> under <paramref name="dexYcbRoot"/>. The file
    /// names no samples: its rows follow Deformer's <c>DexYCB_Temporal</c> (one row per sample whose label has a MANO
    /// pose, <c>pose_m[:48] != 0</c>, in the toolkit's order subject → sequence → camera → frame, left hands included,
    /// no shuffling), so the split is enumerated the same way and row k is its k-th posed sample. β come from the
    /// <c>pred_mano_*.json</c> beside it (<c>[shapes N×10, poses N×48]</c>), averaged per video, when it exists.
    /// </summary>
    public static PredictionSet ReadSet(string path, string dexYcbRoot, DexYcbSplitName split, bool undoCoordinateFlip = true)
    {
        Keypoints joints = ReadJoints(path, undoCoordinateFlip);
        DexYcbSample[] order = DexYcbSplit.Enumerate(dexYcbRoot, split).Where(s => DexYcbLabels.Read(s.LabelPath(dexYcbRoot)).HasPose).ToArray();
        if (order.Length != joints.Frames)
        {
            throw new DataFormatException(path, "[0]",
                $"has {joints.Frames} frames, but DexYCB s0 {split.ToString().ToLowerInvariant()} under '{dexYcbRoot}' has {order.Length} samples with a MANO pose (pose_m[:48] != 0); Deformer writes one row per such sample, in order");
        }
        string manoPath = ManoPath(path);
        float[]? shapes = File.Exists(manoPath) ? ReadShapes(manoPath, joints.Frames) : null;
        var sequences = new List<PredictedSequence>();
        int start = 0;
        while (start < order.Length)
        {
            int end = start;
            while (end < order.Length && order[end].VideoKey == order[start].VideoKey)
            {
                end++;
            }
            float[]? betas = null;
            if (shapes is not null)
            {
                betas = new float[10];
                for (int k = 0; k < 10; k++)
                {
                    double sum = 0;
                    for (int r = start; r < end; r++)
                    {
                        sum += shapes[(r * 10) + k];
                    }
                    betas[k] = (float)(sum / (end - start));
                }
            }
            int[] frames = order[start..end].Select(s => s.Frame).ToArray();
            sequences.Add(new PredictedSequence("dexycb/" + order[start].VideoKey, frames, null, joints.Slice(start, end - start), betas));
            start = end;
        }
        return new PredictionSet(Method, $"dexycb-s0-{split.ToString().ToLowerInvariant()}", Synthetic: false, sequences);
    }

    /// <summary>Deformer's companion file: pred_X.json → pred_mano_X.json in the same folder.</summary>
    public static string ManoPath(string path)
    {
        string name = Path.GetFileName(path);
        string mano = name.StartsWith("pred_", StringComparison.Ordinal) ? "pred_mano_" + name["pred_".Length..] : "mano_" + name;
        return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, mano);
    }

    private static float[] ReadShapes(string path, int frames)
    {
        using JsonDocument document = JsonFields.Parse(path);
        JsonElement root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Array || root.GetArrayLength() != 2)
        {
            throw new DataFormatException(path, "root", "is not Deformer's [shapes N×10, poses N×48]");
        }
        double[] shapes = JsonFields.Rows(root[0], 10, path, "[0] (shapes)", out int rows);
        if (rows != frames)
        {
            throw new DataFormatException(path, "[0] (shapes)", $"has {rows} rows but the joints file has {frames}");
        }
        return Array.ConvertAll(shapes, v => (float)v);
    }

    public static Keypoints ReadJoints(string path, bool undoCoordinateFlip = true)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException e)
        {
            throw new DataFormatException(path, "file", $"cannot be read ({e.Message})", e);
        }

        try
        {
            return Parse(bytes, path, undoCoordinateFlip);
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, $"line {e.LineNumber + 1}, byte {e.BytePositionInLine}", $"invalid JSON ({e.Message})", e);
        }
    }

    private static Keypoints Parse(byte[] bytes, string path, bool undoFlip)
    {
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        Expect(ref reader, JsonTokenType.StartArray, path, "root");
        Expect(ref reader, JsonTokenType.StartArray, path, "[0] (xyz list)");
        var values = new List<double>();
        int n = 0;
        while (Next(ref reader, path, "[0]") != JsonTokenType.EndArray)
        {
            Require(reader.TokenType == JsonTokenType.StartArray, path, $"[0][{n}]", "is not a list of 21 joints");
            for (int j = 0; j < HandJoints.Count; j++)
            {
                Expect(ref reader, JsonTokenType.StartArray, path, $"[0][{n}][{j}]");
                for (int a = 0; a < 3; a++)
                {
                    Expect(ref reader, JsonTokenType.Number, path, $"[0][{n}][{j}][{a}]");
                    double v = reader.GetDouble();
                    Require(double.IsFinite(v), path, $"[0][{n}][{j}][{a}]", $"{v} is not finite");
                    values.Add(undoFlip && a > 0 ? -v : v);
                }

                Expect(ref reader, JsonTokenType.EndArray, path, $"[0][{n}][{j}] (exactly 3 coordinates)");
            }

            Expect(ref reader, JsonTokenType.EndArray, path, $"[0][{n}] (exactly 21 joints)");
            n++;
        }

        Expect(ref reader, JsonTokenType.StartArray, path, "[1] (verts list)");
        int m = 0;
        while (Next(ref reader, path, "[1]") != JsonTokenType.EndArray)
        {
            Require(reader.TokenType == JsonTokenType.StartArray, path, $"[1][{m}]", "is not a list of vertices");
            int vertices = 0;
            while (Next(ref reader, path, $"[1][{m}]") != JsonTokenType.EndArray)
            {
                reader.Skip();
                vertices++;
            }

            Require(vertices == VertexCount, path, $"[1][{m}]", $"has {vertices} vertices, expected {VertexCount}");
            m++;
        }

        Require(m == n, path, "[1]", $"has {m} frames of vertices but [0] has {n} frames of joints");
        Expect(ref reader, JsonTokenType.EndArray, path, "root (exactly two lists)");
        return new Keypoints([.. values], n, HandJoints.Count);
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader, string path, string field)
    {
        Require(reader.Read(), path, field, "file ends early (truncated)");
        return reader.TokenType;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType token, string path, string field)
    {
        JsonTokenType actual = Next(ref reader, path, field);
        Require(actual == token, path, field, $"expected {token}, found {actual}");
    }

    private static void Require(bool condition, string path, string field, string problem)
    {
        if (!condition)
        {
            throw new DataFormatException(path, field, problem);
        }
    }
}
