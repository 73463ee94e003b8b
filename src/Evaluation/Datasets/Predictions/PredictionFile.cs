using System.Text.Json;
using MsMano.Biomechanics.Formats;
using MsMano.Evaluation.Metrics;

namespace MsMano.Evaluation.Datasets.Predictions;

/// <summary>One predicted sequence: frame numbers plus MANO poses [T, 48] and/or joints [T, 21, 3] in metres.</summary>
public sealed record PredictedSequence(string Name, int[] Frames, float[]? Poses, Keypoints? JointsM, float[]? Betas);

/// <summary>The predictions of one base estimator on one split.</summary>
public sealed record PredictionSet(string Method, string Dataset, bool Synthetic, IReadOnlyList<PredictedSequence> Sequences);

/// <summary>
/// The project's base-estimator prediction format (see Datasets/README.md):
/// {"format": "msmano-predictions", "version": 1, "method": "gSDF", "dataset": "dexycb-s0-test",
///  "synthetic": false, "unit": "m" | "mm",
///  "sequences": [{"name": "...", "frames": [0, 1, ...], "poses": [[48]...] (optional), "joints": [[63]...] (optional),
///                 "betas": [10] (optional)}]}.
/// Each sequence needs poses or joints (or both), one row per listed frame. Joints are returned in metres.
/// </summary>
public static class PredictionFile
{
    public const string FormatName = "msmano-predictions";

    public static void Write(string path, PredictionSet set)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream);
        json.WriteStartObject();
        json.WriteString("format", FormatName);
        json.WriteNumber("version", 1);
        json.WriteString("method", set.Method);
        json.WriteString("dataset", set.Dataset);
        json.WriteBoolean("synthetic", set.Synthetic);
        json.WriteString("unit", "m");
        json.WriteStartArray("sequences");
        foreach (var s in set.Sequences)
        {
            json.WriteStartObject();
            json.WriteString("name", s.Name);
            json.WriteStartArray("frames");
            foreach (var f in s.Frames)
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
                foreach (var b in s.Betas)
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

    public static PredictionSet Read(string path)
    {
        using var document = JsonFields.Parse(path);
        var root = document.RootElement;
        var format = JsonFields.String(JsonFields.Require(root, "format", path, ""), path, "format");
        if (format != FormatName)
        {
            throw new DataFormatException(path, "format", $"'{format}' is not '{FormatName}'");
        }

        var method = JsonFields.String(JsonFields.Require(root, "method", path, ""), path, "method");
        var dataset = JsonFields.Optional(root, "dataset") is { } d ? JsonFields.String(d, path, "dataset") : "";
        var synthetic = JsonFields.Optional(root, "synthetic") is { } s && JsonFields.Bool(s, path, "synthetic");
        var unit = JsonFields.Optional(root, "unit") is { } u ? JsonFields.String(u, path, "unit") : "m";
        var scale = unit switch
        {
            "m" => 1.0,
            "mm" => 0.001,
            _ => throw new DataFormatException(path, "unit", $"'{unit}' is not 'm' or 'mm'"),
        };
        var sequencesElement = JsonFields.Require(root, "sequences", path, "");
        if (sequencesElement.ValueKind != JsonValueKind.Array)
        {
            throw new DataFormatException(path, "sequences", "is not a list");
        }

        var sequences = new List<PredictedSequence>();
        var index = 0;
        foreach (var item in sequencesElement.EnumerateArray())
        {
            var field = $"sequences[{index++}]";
            var name = JsonFields.String(JsonFields.Require(item, "name", path, field), path, $"{field}.name");
            var frameElement = JsonFields.Require(item, "frames", path, field);
            var frames = JsonFields.Doubles(frameElement, -1, path, $"{field}.frames").Select((f, i) =>
                f == Math.Floor(f) && f >= 0 ? (int)f : throw new DataFormatException(path, $"{field}.frames[{i}]", $"{f} is not a frame number")).ToArray();
            float[]? poses = null;
            Keypoints? joints = null;
            if (JsonFields.Optional(item, "poses") is { } p)
            {
                poses = Array.ConvertAll(JsonFields.Rows(p, ManoJoints.PoseSize, path, $"{field}.poses", out var rows), v => (float)v);
                CheckRows(rows, frames.Length, path, $"{field}.poses");
            }

            if (JsonFields.Optional(item, "joints") is { } j)
            {
                var values = JsonFields.Rows(j, HandJoints.Count * 3, path, $"{field}.joints", out var rows);
                CheckRows(rows, frames.Length, path, $"{field}.joints");
                joints = new Keypoints(values.Select(v => v * scale).ToArray(), rows, HandJoints.Count);
            }

            if (poses is null && joints is null)
            {
                throw new DataFormatException(path, field, "has neither 'poses' nor 'joints'");
            }

            var betas = JsonFields.Optional(item, "betas") is { } b ? JsonFields.Floats(b, 10, path, $"{field}.betas") : null;
            sequences.Add(new PredictedSequence(name, frames, poses, joints, betas));
        }

        return new PredictionSet(method, dataset, synthetic, sequences);
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
        for (var r = 0; r < values.Length / rowLength; r++)
        {
            json.WriteStartArray();
            for (var i = 0; i < rowLength; i++)
            {
                json.WriteNumberValue(values[(r * rowLength) + i]);
            }

            json.WriteEndArray();
        }

        json.WriteEndArray();
    }
}
