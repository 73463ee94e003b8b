using System.Text.Json;
using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Evaluation.Metrics;
using MsMano.ModelFormats;

namespace MsMano.Evaluation.Datasets.Predictions;

/// <summary>One predicted sequence: frame numbers plus MANO poses [T, 48] and/or joints [T, 21, 3] in metres.</summary>
public sealed record PredictedSequence(string Name, int[] Frames, float[]? Poses, Keypoints? JointsM, float[]? Betas);

/// <summary>The predictions of one base estimator on one split.</summary>
public sealed record PredictionSet(string Method, string Dataset, bool Synthetic, IReadOnlyList<PredictedSequence> Sequences)
{
    /// <summary>Axes of the poses' joint rotations; joints need no such choice (they are points).</summary>
    public PredictedPoseFrame PoseFrame { get; init; } = PredictedPoseFrame.Hand;
}

/// <summary>
/// The project's base-estimator prediction format (see Datasets/README.md):
/// {"format": "msmano-predictions", "version": 1, "method": "gSDF", "dataset": "dexycb-s0-test",
///  "synthetic": false, "unit": "m" | "mm", "pose_frame": "hand" | "mano" (optional), "flip_yz": false (optional),
///  "sequences": [{"name": "...", "frames": [0, 1, ...], "poses": [[48]...] (optional), "joints": [[63]...] (optional),
///                 "betas": [10] (optional)}]}.
/// Each sequence needs poses or joints (or both), one row per listed frame. Joints are returned in metres.
/// flip_yz = true says the values were multiplied by diag(1, −1, −1) (Deformer's released code does this to DexYCB
/// output, an HO3D OpenGL conversion applied unconditionally); the reader undoes it, so what it returns is always in
/// the ground truth's (OpenCV) camera frame: joints get y and z negated, a pose's global rotation G becomes diag(1, −1, −1) G.
/// </summary>
public static class PredictionFile
{
    public const string FormatName = "msmano-predictions";

    public static void Write(string path, PredictionSet set)
    {
        using FileStream stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream);
        json.WriteStartObject();
        json.WriteString("format", FormatName);
        json.WriteNumber("version", 1);
        json.WriteString("method", set.Method);
        json.WriteString("dataset", set.Dataset);
        json.WriteBoolean("synthetic", set.Synthetic);
        json.WriteString("unit", "m");
        if (set.PoseFrame == PredictedPoseFrame.Mano)
        {
            json.WriteString("pose_frame", "mano");
        }

        json.WriteStartArray("sequences");
        foreach (PredictedSequence s in set.Sequences)
        {
            json.WriteStartObject();
            json.WriteString("name", s.Name);
            json.WriteStartArray("frames");
            foreach (int f in s.Frames)
            {
                json.WriteNumberValue(f);
            }

            json.WriteEndArray();
            if (s.Poses is not null)
            {
                WriteRows(json, "poses", s.Poses.Select(v => (double)v).ToArray(), ManoJoints.PoseSize);
            }

            if (s.JointsM is not null)
            {
                WriteRows(json, "joints", s.JointsM.Values, HandJoints.Count * 3);
            }

            if (s.Betas is not null)
            {
                json.WriteStartArray("betas");
                foreach (float b in s.Betas)
                {
                    json.WriteNumberValue(b);
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    public static PredictionSet Read(string path, OutOfRangePoses outOfRange = OutOfRangePoses.Refuse)
    {
        using JsonDocument document = JsonFields.Parse(path);
        JsonElement root = document.RootElement;
        string format = JsonFields.String(JsonFields.Require(root, "format", path, ""), path, "format");
        if (format != FormatName)
        {
            throw new DataFormatException(path, "format", $"'{format}' is not '{FormatName}'");
        }

        string method = JsonFields.String(JsonFields.Require(root, "method", path, ""), path, "method");
        string dataset = JsonFields.Optional(root, "dataset") is { } d ? JsonFields.String(d, path, "dataset") : "";
        bool synthetic = JsonFields.Optional(root, "synthetic") is { } s && JsonFields.Bool(s, path, "synthetic");
        string unit = JsonFields.Optional(root, "unit") is { } u ? JsonFields.String(u, path, "unit") : "m";
        double scale = unit switch
        {
            "m" => 1.0,
            "mm" => 0.001,
            _ => throw new DataFormatException(path, "unit", $"'{unit}' is not 'm' or 'mm'"),
        };
        string frameText = JsonFields.Optional(root, "pose_frame") is { } pf ? JsonFields.String(pf, path, "pose_frame") : "hand";
        PredictedPoseFrame poseFrame = frameText switch
        {
            "hand" => PredictedPoseFrame.Hand,
            "mano" => PredictedPoseFrame.Mano,
            _ => throw new DataFormatException(path, "pose_frame", $"'{frameText}' is not 'hand' or 'mano'"),
        };
        bool flip = JsonFields.Optional(root, "flip_yz") is { } fl && JsonFields.Bool(fl, path, "flip_yz");
        JsonElement sequencesElement = JsonFields.Require(root, "sequences", path, "");
        if (sequencesElement.ValueKind != JsonValueKind.Array)
        {
            throw new DataFormatException(path, "sequences", "is not a list");
        }

        var sequences = new List<PredictedSequence>();
        int index = 0;
        int clamped = 0, poseValues = 0;
        foreach (JsonElement item in sequencesElement.EnumerateArray())
        {
            string field = $"sequences[{index++}]";
            string name = JsonFields.String(JsonFields.Require(item, "name", path, field), path, $"{field}.name");
            JsonElement frameElement = JsonFields.Require(item, "frames", path, field);
            int[] frames = JsonFields.Doubles(frameElement, -1, path, $"{field}.frames").Select((f, i) =>
                f == Math.Floor(f) && f >= 0 ? (int)f : throw new DataFormatException(path, $"{field}.frames[{i}]", $"{f} is not a frame number")).ToArray();
            float[]? poses = null;
            Keypoints? joints = null;
            if (JsonFields.Optional(item, "poses") is { } p)
            {
                poses = Array.ConvertAll(JsonFields.Rows(p, ManoJoints.PoseSize, path, $"{field}.poses", out int rows), v => (float)v);
                CheckRows(rows, frames.Length, path, $"{field}.poses");
                clamped += PoseBounds.Apply(poses, path, $"{field}.poses", outOfRange);
                poseValues += poses.Length;
                if (flip)
                {
                    UnflipGlobalRotations(poses);
                }
            }

            if (JsonFields.Optional(item, "joints") is { } j)
            {
                double[] values = JsonFields.Rows(j, HandJoints.Count * 3, path, $"{field}.joints", out int rows);
                CheckRows(rows, frames.Length, path, $"{field}.joints");
                joints = new Keypoints(values.Select((v, k) => (flip && k % 3 != 0 ? -v : v) * scale).ToArray(), rows, HandJoints.Count);
            }

            if (poses is null && joints is null)
            {
                throw new DataFormatException(path, field, "has neither 'poses' nor 'joints'");
            }

            float[]? betas = JsonFields.Optional(item, "betas") is { } b ? JsonFields.Floats(b, 10, path, $"{field}.betas") : null;
            sequences.Add(new PredictedSequence(name, frames, poses, joints, betas));
        }

        PoseBounds.WarnClamped(path, "sequences[*].poses", clamped, poseValues);
        return new PredictionSet(method, dataset, synthetic, sequences) { PoseFrame = poseFrame };
    }

    // diag(1, -1, -1) is a half turn about x, so it is its own inverse: undoing it is applying it again.
    private static void UnflipGlobalRotations(float[] poses)
    {
        var flip = Mat3.Diagonal(1, -1, -1);
        for (int o = 0; o < poses.Length; o += ManoJoints.PoseSize)
        {
            Vec3 g = (flip * Mat3.Exp(new Vec3(poses[o], poses[o + 1], poses[o + 2]))).Log();
            poses[o] = (float)g.X;
            poses[o + 1] = (float)g.Y;
            poses[o + 2] = (float)g.Z;
        }
    }

    private static void CheckRows(int rows, int frames, string path, string field)
    {
        if (rows != frames)
        {
            throw new DataFormatException(path, field, $"has {rows} rows but 'frames' lists {frames}");
        }
    }

    private static void WriteRows(Utf8JsonWriter json, string name, double[] values, int rowLength)
    {
        json.WriteStartArray(name);
        for (int r = 0; r < values.Length / rowLength; r++)
        {
            json.WriteStartArray();
            for (int i = 0; i < rowLength; i++)
            {
                json.WriteNumberValue(values[(r * rowLength) + i]);
            }

            json.WriteEndArray();
        }

        json.WriteEndArray();
    }
}
