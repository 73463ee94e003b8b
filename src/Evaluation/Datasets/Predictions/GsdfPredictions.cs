using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using MsMano.Evaluation.Datasets.DexYcb;
using MsMano.Evaluation.Metrics;
using MsMano.ModelFormats;

namespace MsMano.Evaluation.Datasets.Predictions;

/// <summary>
/// gSDF's test output as its <c>tools/test.py</c> writes it (<c>common/utils/dir_utils.py:export_pose_results</c>):
/// one <c>hand_pose/&lt;id&gt;.json</c> per DexYCB image, id = <c>{subject}_{YYYYMMDD_HHMMSS}_{serial}_{frame}</c>
/// (subject 1-10, frame not zero-padded; <c>preprocess/cocoify_dexycb.py</c>), holding <c>cam_extr</c> (3×3),
/// <c>cam_intr</c> and the MANO head's outputs: <c>joints</c> (21×3, metres, DexYCB order) and <c>shape</c> (10 β)
/// among them. As gSDF's own evaluation does (<c>datasets/dexycb/dexycb.py:_evaluate</c>), the joints in the camera
/// frame are <c>cam_extr · joints</c>. One sequence per video (sequence × camera), named like the DexYCB ground truth
/// (<c>dexycb/&lt;subject&gt;/&lt;sequence&gt;/&lt;serial&gt;</c>), frames rising (gSDF predicts every 5th); β are the
/// mean of the video's per-frame shapes.
/// </summary>
public static partial class GsdfPredictions
{
    public const string Method = "gSDF";

    /// <summary>True when <paramref name="path"/> is a gSDF result folder (holding <c>hand_pose/</c>) or its <c>hand_pose</c> folder.</summary>
    public static bool IsResultFolder(string path) =>
        Directory.Exists(path) && (Directory.Exists(Path.Combine(path, "hand_pose")) || Path.GetFileName(Path.TrimEndingDirectorySeparator(path)) == "hand_pose");

    public static PredictionSet Read(string path)
    {
        string folder = Directory.Exists(Path.Combine(path, "hand_pose")) ? Path.Combine(path, "hand_pose") : path;
        if (!Directory.Exists(folder))
        {
            throw new DataFormatException(path, "folder", "does not exist (give gSDF's result folder, the one holding hand_pose/)");
        }
        string[] files = Directory.GetFiles(folder, "*.json");
        if (files.Length == 0)
        {
            throw new DataFormatException(folder, "hand_pose/*.json", "no prediction files (gSDF writes one <id>.json per image)");
        }
        var frames = new List<(string Video, int Frame, double[] Joints, float[]? Shape, string File)>(files.Length);
        foreach (string file in files)
        {
            frames.Add(ReadOne(file));
        }
        PredictedSequence[] sequences = frames
            .GroupBy(f => f.Video, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                (string Video, int Frame, double[] Joints, float[]? Shape, string File)[] rows = g.OrderBy(f => f.Frame).ToArray();
                double[] joints = rows.SelectMany(r => r.Joints).ToArray();
                float[]? betas = rows.All(r => r.Shape is not null)
                    ? Enumerable.Range(0, 10).Select(k => (float)rows.Average(r => (double)r.Shape![k])).ToArray()
                    : null;
                return new PredictedSequence(g.Key, rows.Select(r => r.Frame).ToArray(), null, new Keypoints(joints, rows.Length, HandJoints.Count), betas);
            })
            .ToArray();
        return new PredictionSet(Method, "dexycb", Synthetic: false, sequences);
    }

    private static (string Video, int Frame, double[] Joints, float[]? Shape, string File) ReadOne(string file)
    {
        string id = Path.GetFileNameWithoutExtension(file);
        Match m = IdPattern().Match(id);
        if (!m.Success)
        {
            throw new DataFormatException(file, "file name", $"'{id}' is not a gSDF DexYCB id {{subject}}_{{YYYYMMDD_HHMMSS}}_{{serial}}_{{frame}}");
        }
        int subject = int.Parse(m.Groups["subject"].Value, CultureInfo.InvariantCulture);
        if (subject < 1 || subject > DexYcbLayout.Subjects.Count)
        {
            throw new DataFormatException(file, "file name", $"subject {subject} is not 1-{DexYcbLayout.Subjects.Count}");
        }
        string serial = m.Groups["serial"].Value;
        if (!DexYcbLayout.Serials.Contains(serial))
        {
            throw new DataFormatException(file, "file name", $"camera serial {serial} is not one of DexYCB's 8");
        }
        if (!int.TryParse(m.Groups["frame"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int frame))
        {
            throw new DataFormatException(file, "file name", $"frame '{m.Groups["frame"].Value}' is not a frame number");
        }
        using JsonDocument document = JsonFields.Parse(file);
        JsonElement root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new DataFormatException(file, "root", "is not a JSON object");
        }
        double[] extr = JsonFields.Rows(JsonFields.Require(root, "cam_extr", file, ""), 3, file, "cam_extr", out int extrRows);
        if (extrRows != 3)
        {
            throw new DataFormatException(file, "cam_extr", $"has {extrRows} rows, expected 3");
        }
        double[] local = JsonFields.Rows(JsonFields.Require(root, "joints", file, ""), 3, file, "joints", out int jointRows);
        if (jointRows != HandJoints.Count)
        {
            throw new DataFormatException(file, "joints", $"has {jointRows} joints, expected {HandJoints.Count}");
        }
        double[] joints = new double[local.Length];
        for (int j = 0; j < HandJoints.Count; j++)
        {
            for (int r = 0; r < 3; r++)
            {
                joints[(j * 3) + r] = (extr[r * 3] * local[j * 3]) + (extr[(r * 3) + 1] * local[(j * 3) + 1]) + (extr[(r * 3) + 2] * local[(j * 3) + 2]);
            }
        }
        foreach (double v in joints)
        {
            if (Math.Abs(v) > 10)
            {
                throw new DataFormatException(file, "joints", string.Create(CultureInfo.InvariantCulture, $"a coordinate of {v} m is not a hand in front of a camera (|x| <= 10 m)"));
            }
        }
        float[]? shape = JsonFields.Optional(root, "shape") is { } s ? ShapeRow(s, file) : null;
        string video = $"dexycb/{DexYcbLayout.Subjects[subject - 1]}/{m.Groups["sequence"].Value}/{serial}";
        return (video, frame, joints, shape, file);
    }

    // The head's shape is [10] (exported as the first of the batch); accept a [1, 10] nesting too.
    private static float[] ShapeRow(JsonElement element, string file)
    {
        if (element.ValueKind == JsonValueKind.Array && element.GetArrayLength() == 1 && element[0].ValueKind == JsonValueKind.Array)
        {
            element = element[0];
        }
        return JsonFields.Floats(element, 10, file, "shape");
    }

    [GeneratedRegex(@"^(?<subject>\d+)_(?<sequence>\d{8}_\d{6})_(?<serial>\d+)_(?<frame>\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
