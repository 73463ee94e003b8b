using System.Globalization;
using System.Text;
using MsMano.Evaluation.Metrics;
using MsMano.ModelFormats;

namespace MsMano.Evaluation.Datasets.PoseFiles;

/// <summary>
/// The project's CSV pose-sequence format (see Datasets/README.md): metadata lines "# key: value"
/// (format, version, name, fps, synthetic, betas as 10 space-separated numbers), then a header
/// "frame,p0,...,p47" and one row per frame with consecutive frame numbers from 0.
/// </summary>
public static class PoseSequenceCsv
{
    public const string FormatName = "msmano-pose-sequence-csv";

    public static void Write(string path, PoseSequence sequence)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        writer.WriteLine($"# format: {FormatName}");
        writer.WriteLine("# version: 1");
        writer.WriteLine($"# name: {sequence.Name}");
        writer.WriteLine($"# fps: {sequence.Fps.ToString("R", CultureInfo.InvariantCulture)}");
        writer.WriteLine($"# synthetic: {(sequence.Synthetic ? "true" : "false")}");
        if (sequence.Betas is not null)
        {
            writer.WriteLine($"# betas: {string.Join(' ', sequence.Betas.Select(b => b.ToString("R", CultureInfo.InvariantCulture)))}");
        }

        writer.WriteLine("frame," + string.Join(',', Enumerable.Range(0, ManoJoints.PoseSize).Select(i => $"p{i}")));
        for (int f = 0; f < sequence.Frames; f++)
        {
            var row = new StringBuilder(f.ToString(CultureInfo.InvariantCulture));
            foreach (float v in sequence.Frame(f))
            {
                row.Append(',').Append(v.ToString("R", CultureInfo.InvariantCulture));
            }

            writer.WriteLine(row);
        }
    }

    public static PoseSequence Read(string path, OutOfRangePoses outOfRange = OutOfRangePoses.Refuse)
    {
        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        var poses = new List<float>();
        bool headerSeen = false;
        int lineNumber = 0;
        int frames = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (line.StartsWith('#'))
            {
                int colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    meta[line[1..colon].Trim()] = line[(colon + 1)..].Trim();
                }

                continue;
            }

            string[] fields = line.Split(',');
            if (!headerSeen)
            {
                if (fields.Length != ManoJoints.PoseSize + 1 || fields[0].Trim() != "frame")
                {
                    throw new DataFormatException(path, $"line {lineNumber} (header)", $"expected 'frame,p0,...,p47', found {fields.Length} columns starting '{fields[0]}'");
                }

                headerSeen = true;
                continue;
            }

            if (fields.Length != ManoJoints.PoseSize + 1)
            {
                throw new DataFormatException(path, $"line {lineNumber}", $"has {fields.Length} columns, expected {ManoJoints.PoseSize + 1}");
            }

            if (!int.TryParse(fields[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int frame) || frame != frames)
            {
                throw new DataFormatException(path, $"line {lineNumber} frame", $"'{fields[0]}' should be {frames} (frames are consecutive from 0)");
            }

            for (int i = 1; i < fields.Length; i++)
            {
                if (!float.TryParse(fields[i], NumberStyles.Float, CultureInfo.InvariantCulture, out float value) || !float.IsFinite(value))
                {
                    throw new DataFormatException(path, $"line {lineNumber} p{i - 1}", $"'{fields[i]}' is not a finite number");
                }

                poses.Add(value);
            }

            frames++;
        }

        if (!headerSeen)
        {
            throw new DataFormatException(path, "header", "no 'frame,p0,...,p47' header line");
        }

        if (meta.TryGetValue("format", out string? format) && format != FormatName)
        {
            throw new DataFormatException(path, "# format", $"'{format}' is not '{FormatName}'");
        }

        if (!meta.TryGetValue("fps", out string? fpsText) || !double.TryParse(fpsText, NumberStyles.Float, CultureInfo.InvariantCulture, out double fps) || !(fps > 0))
        {
            throw new DataFormatException(path, "# fps", $"'{fpsText ?? "<missing>"}' is not a positive frame rate");
        }

        float[]? betas = null;
        if (meta.TryGetValue("betas", out string? betaText))
        {
            string[] parts = betaText.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            betas = new float[parts.Length];
            for (int i = 0; i < parts.Length; i++)
            {
                if (!float.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out betas[i]) || !float.IsFinite(betas[i]))
                {
                    throw new DataFormatException(path, $"# betas[{i}]", $"'{parts[i]}' is not a finite number");
                }
            }

            if (betas.Length != 10)
            {
                throw new DataFormatException(path, "# betas", $"has {betas.Length} values, expected 10");
            }
        }

        bool synthetic = meta.TryGetValue("synthetic", out string? syn) && syn.Equals("true", StringComparison.OrdinalIgnoreCase);
        string name = meta.TryGetValue("name", out string? n) ? n : Path.GetFileNameWithoutExtension(path);
        float[] values = [.. poses];
        PoseBounds.WarnClamped(path, "poses", PoseBounds.Apply(values, path, "poses", outOfRange), values.Length);
        return new PoseSequence(name, values, fps, betas, synthetic);
    }
}
