using System.Globalization;
using System.Text;
using MsMano.Evaluation.Metrics;
using MsMano.ModelFormats;

namespace MsMano.Evaluation.Datasets.DexYcb;

/// <summary>
/// The official HPE results file of the DexYCB toolkit: one line per sample,
/// "index,x1,y1,z1,...,x21,y21,z21" — 64 comma-separated numbers, joints in millimetres, camera frame,
/// the 21-joint order. Every ground-truth index must be present for evaluation.
/// </summary>
public static class DexYcbResultsFile
{
    public const int ValuesPerLine = 1 + (HandJoints.Count * 3);

    public static void Write(string path, IEnumerable<(int Index, double[] JointsMm)> results)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        foreach ((int index, double[] joints) in results)
        {
            if (joints.Length != HandJoints.Count * 3)
            {
                throw new ArgumentException($"Sample {index} has {joints.Length} values, expected {HandJoints.Count * 3}.", nameof(results));
            }

            var line = new StringBuilder(index.ToString(CultureInfo.InvariantCulture));
            foreach (double value in joints)
            {
                line.Append(',').Append(value.ToString("R", CultureInfo.InvariantCulture));
            }

            writer.WriteLine(line);
        }
    }

    /// <summary>Reads a results file into index → 63 values (mm). Duplicate indices and malformed lines are errors.</summary>
    public static IReadOnlyDictionary<int, double[]> Read(string path)
    {
        var results = new Dictionary<int, double[]>();
        int lineNumber = 0;
        foreach (string raw in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(raw))
            {
                continue;
            }

            string[] fields = raw.Split(',');
            if (fields.Length != ValuesPerLine)
            {
                throw new DataFormatException(path, $"line {lineNumber}", $"has {fields.Length} values, expected {ValuesPerLine} (index + 63 joint coordinates)");
            }

            if (!int.TryParse(fields[0].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int index) || index < 0)
            {
                throw new DataFormatException(path, $"line {lineNumber} index", $"'{fields[0]}' is not a sample index");
            }

            double[] joints = new double[HandJoints.Count * 3];
            for (int i = 0; i < joints.Length; i++)
            {
                if (!double.TryParse(fields[i + 1].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out joints[i]) || !double.IsFinite(joints[i]))
                {
                    throw new DataFormatException(path, $"line {lineNumber} value {i + 1} (joint {i / 3} {"xyz"[i % 3]})", $"'{fields[i + 1]}' is not a finite number");
                }
            }

            if (!results.TryAdd(index, joints))
            {
                throw new DataFormatException(path, $"line {lineNumber} index", $"sample {index} appears twice");
            }
        }

        return results;
    }
}
