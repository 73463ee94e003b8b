using System.Text.Json;
using MsMano.ModelFormats;
using MsMano.Evaluation.Metrics;

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
        var n = 0;
        while (Next(ref reader, path, "[0]") != JsonTokenType.EndArray)
        {
            Require(reader.TokenType == JsonTokenType.StartArray, path, $"[0][{n}]", "is not a list of 21 joints");
            for (var j = 0; j < HandJoints.Count; j++)
            {
                Expect(ref reader, JsonTokenType.StartArray, path, $"[0][{n}][{j}]");
                for (var a = 0; a < 3; a++)
                {
                    Expect(ref reader, JsonTokenType.Number, path, $"[0][{n}][{j}][{a}]");
                    var v = reader.GetDouble();
                    Require(double.IsFinite(v), path, $"[0][{n}][{j}][{a}]", $"{v} is not finite");
                    values.Add(undoFlip && a > 0 ? -v : v);
                }

                Expect(ref reader, JsonTokenType.EndArray, path, $"[0][{n}][{j}] (exactly 3 coordinates)");
            }

            Expect(ref reader, JsonTokenType.EndArray, path, $"[0][{n}] (exactly 21 joints)");
            n++;
        }

        Expect(ref reader, JsonTokenType.StartArray, path, "[1] (verts list)");
        var m = 0;
        while (Next(ref reader, path, "[1]") != JsonTokenType.EndArray)
        {
            Require(reader.TokenType == JsonTokenType.StartArray, path, $"[1][{m}]", "is not a list of vertices");
            var vertices = 0;
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
        var actual = Next(ref reader, path, field);
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
