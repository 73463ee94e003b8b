using System.Text.Json;
using MsMano.Evaluation.Metrics;
using MsMano.ModelFormats;

namespace MsMano.Evaluation.Datasets.PoseFiles;

/// <summary>
/// The project's JSON pose-sequence format (see Datasets/README.md):
/// {"format": "msmano-pose-sequence", "version": 1, "name": "...", "fps": 30, "synthetic": false,
///  "betas": [10 numbers] (optional), "poses": [[48 numbers], ...]}.
/// </summary>
public static class PoseSequenceJson
{
    public const string FormatName = "msmano-pose-sequence";
    public const int Version = 1;

    public static void Write(string path, PoseSequence sequence)
    {
        using FileStream stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
        json.WriteStartObject();
        json.WriteString("format", FormatName);
        json.WriteNumber("version", Version);
        json.WriteString("name", sequence.Name);
        json.WriteNumber("fps", sequence.Fps);
        json.WriteBoolean("synthetic", sequence.Synthetic);
        if (sequence.Betas is not null)
        {
            json.WriteStartArray("betas");
            foreach (float b in sequence.Betas)
            {
                json.WriteNumberValue(b);
            }

            json.WriteEndArray();
        }

        json.WriteStartArray("poses");
        for (int f = 0; f < sequence.Frames; f++)
        {
            json.WriteStartArray();
            foreach (float v in sequence.Frame(f))
            {
                json.WriteNumberValue(v);
            }

            json.WriteEndArray();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    public static PoseSequence Read(string path, OutOfRangePoses outOfRange = OutOfRangePoses.Refuse)
    {
        using JsonDocument document = JsonFields.Parse(path);
        JsonElement root = document.RootElement;
        string format = JsonFields.String(JsonFields.Require(root, "format", path, ""), path, "format");
        if (format != FormatName)
        {
            throw new DataFormatException(path, "format", $"'{format}' is not '{FormatName}'");
        }

        int version = JsonFields.Int(JsonFields.Require(root, "version", path, ""), path, "version");
        if (version != Version)
        {
            throw new DataFormatException(path, "version", $"{version} is not supported (expected {Version})");
        }

        string name = JsonFields.Optional(root, "name") is { } n ? JsonFields.String(n, path, "name") : Path.GetFileNameWithoutExtension(path);
        double fps = JsonFields.Number(JsonFields.Require(root, "fps", path, ""), path, "fps");
        if (fps <= 0)
        {
            throw new DataFormatException(path, "fps", $"{fps} is not a positive frame rate");
        }

        bool synthetic = JsonFields.Optional(root, "synthetic") is { } s && JsonFields.Bool(s, path, "synthetic");
        float[]? betas = JsonFields.Optional(root, "betas") is { } b ? JsonFields.Floats(b, 10, path, "betas") : null;
        float[] poses = Array.ConvertAll(JsonFields.Rows(JsonFields.Require(root, "poses", path, ""), ManoJoints.PoseSize, path, "poses", out _), v => (float)v);
        PoseBounds.WarnClamped(path, "poses", PoseBounds.Apply(poses, path, "poses", outOfRange), poses.Length);
        return new PoseSequence(name, poses, fps, betas, synthetic);
    }
}
