using System.Text.Json;
using System.Text.Json.Serialization;

namespace MsMano.Dashboard.Clips;

/// <summary>
/// A recorded hand clip for the viewer, format <c>msmano-clip</c> version 1 (JSON; documented in
/// <c>src/Dashboard/Clips/README.md</c>). Positions are in millimetres in the hand model's frame, per frame flattened
/// x, y, z. Every layer has the 21 skeleton points; a layer may also carry the muscle via-point paths and one
/// activation in [0, 1] per muscle and frame, which the viewer uses to colour each muscle.
/// </summary>
public sealed record HandClip
{
    public const string FormatName = "msmano-clip";
    public const int CurrentVersion = 1;

    public string Format { get; init; } = FormatName;
    public int Version { get; init; } = CurrentVersion;

    /// <summary><c>tracking</c>, <c>biopr</c> or <c>excitation</c>.</summary>
    public required string Kind { get; init; }
    public required string Title { get; init; }
    public string Description { get; init; } = "";
    public required double Fps { get; init; }
    public required int Frames { get; init; }
    public string Unit { get; init; } = "mm";
    public required ClipSkeleton Skeleton { get; init; }
    public IReadOnlyList<ClipMuscle> Muscles { get; init; } = [];
    public required IReadOnlyList<ClipLayer> Layers { get; init; }
    public IReadOnlyList<ClipSeries> Series { get; init; } = [];

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Throws <see cref="InvalidDataException"/> naming the field and value when the clip is inconsistent or not finite.</summary>
    public HandClip Validate(string source = "clip")
    {
        Check(Format == FormatName, source, "format", Format, $"must be \"{FormatName}\"");
        Check(Version == CurrentVersion, source, "version", Version, $"must be {CurrentVersion}");
        Check(Kind is "tracking" or "biopr" or "excitation", source, "kind", Kind, "must be tracking, biopr or excitation");
        Check(double.IsFinite(Fps) && Fps > 0, source, "fps", Fps, "must be a positive number");
        Check(Frames >= 1, source, "frames", Frames, "must be >= 1");
        int points = Skeleton.Points.Count;
        Check(points >= 2, source, "skeleton.points", points, "must name at least two points");
        for (int b = 0; b < Skeleton.Bones.Count; b++)
        {
            int[] bone = Skeleton.Bones[b];
            Check(bone.Length == 2 && bone.All(i => i >= 0 && i < points), source, $"skeleton.bones[{b}]", string.Join(",", bone), $"must be two point indices below {points}");
        }
        Check(Layers.Count >= 1, source, "layers", Layers.Count, "must hold at least one layer");
        int musclePoints = Muscles.Sum(m => m.Points);
        for (int l = 0; l < Layers.Count; l++)
        {
            ClipLayer layer = Layers[l];
            string at = $"layers[{l}]";
            Check(layer.Points.Count == Frames, source, at + ".points", layer.Points.Count, $"must have one entry per frame ({Frames})");
            CheckFrames(layer.Points, points * 3, source, at + ".points");
            if (layer.Muscles is { } muscles)
            {
                Check(muscles.Count == Frames, source, at + ".muscles", muscles.Count, $"must have one entry per frame ({Frames})");
                CheckFrames(muscles, musclePoints * 3, source, at + ".muscles");
            }
            if (layer.Activations is { } activations)
            {
                Check(activations.Count == Frames, source, at + ".activations", activations.Count, $"must have one entry per frame ({Frames})");
                CheckFrames(activations, Muscles.Count, source, at + ".activations");
                for (int f = 0; f < Frames; f++)
                {
                    foreach (float a in activations[f])
                    {
                        Check(a is >= 0 and <= 1, source, $"{at}.activations[{f}]", a, "must lie in [0, 1]");
                    }
                }
            }
        }
        for (int s = 0; s < Series.Count; s++)
        {
            Check(Series[s].Values.Count == Frames, source, $"series[{s}].values", Series[s].Values.Count, $"must have one value per frame ({Frames})");
            Check(Series[s].Values.All(float.IsFinite), source, $"series[{s}].values", "non-finite", "must be finite");
        }
        return this;
    }

    public void Save(string path)
    {
        Validate(path);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        Directory.CreateDirectory(folder!);
        string temporary = path + ".tmp";
        using (FileStream stream = File.Create(temporary))
        {
            JsonSerializer.Serialize(stream, this, JsonOptions);
        }
        File.Move(temporary, path, overwrite: true);
    }

    public static HandClip Load(string path)
    {
        HandClip? clip;
        try
        {
            using FileStream stream = File.OpenRead(path);
            clip = JsonSerializer.Deserialize<HandClip>(stream, JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: not a {FormatName} file ({ex.Message})", ex);
        }
        return (clip ?? throw new InvalidDataException($"{path}: empty clip")).Validate(path);
    }

    private static void CheckFrames(IReadOnlyList<float[]> frames, int length, string source, string field)
    {
        for (int f = 0; f < frames.Count; f++)
        {
            Check(frames[f].Length == length, source, $"{field}[{f}]", frames[f].Length, $"must hold {length} numbers");
            Check(Array.TrueForAll(frames[f], float.IsFinite), source, $"{field}[{f}]", "non-finite", "must be finite");
        }
    }

    private static void Check(bool ok, string source, string field, object value, string rule)
    {
        if (!ok)
        {
            throw new InvalidDataException($"{source}: {field} = {value}: {rule}");
        }
    }
}

/// <summary>The point names (16 MANO joints then 5 fingertips) and the bones drawn between them.</summary>
public sealed record ClipSkeleton(IReadOnlyList<string> Points, IReadOnlyList<int[]> Bones);

/// <summary>One muscle: its name and how many via points its path has (paths are concatenated per frame).</summary>
public sealed record ClipMuscle(string Name, int Points);

/// <summary>
/// One hand drawn in the clip. <see cref="Role"/> picks the style: <c>main</c> (solid, muscles coloured),
/// <c>ghost</c> (the reference), <c>truth</c>, <c>base</c>, <c>refined</c>.
/// </summary>
public sealed record ClipLayer(string Name, string Role, IReadOnlyList<float[]> Points, IReadOnlyList<float[]>? Muscles = null, IReadOnlyList<float[]>? Activations = null);

/// <summary>A per-frame number plotted under the viewer (e.g. ring-finger flexion in the Fig. 6 clip); <see cref="Role"/> borrows a layer role's colour.</summary>
public sealed record ClipSeries(string Name, string Unit, IReadOnlyList<float> Values, string? Role = null);
