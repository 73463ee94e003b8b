using MsMano.Biomechanics.Kinematics;
using MsMano.Environments.Motion;
using MsMano.Evaluation.Datasets.PoseFiles;
using MsMano.ModelFormats;

namespace MsMano.Evaluation.Datasets.MotionSources;

/// <summary>
/// Our JSON / CSV pose-sequence files as reference motions. Their poses are taken in the hand model's convention
/// (joint rotations in hand-frame axes, what <see cref="ReferenceMotion.ManoPose"/> and the synthetic benchmark write);
/// poses of the real MANO model need <see cref="ManoPoseConverter"/> first.
/// </summary>
public static class PoseFileMotions
{
    /// <summary>One file, or every file with the format's extension in a folder (ordinal name order).</summary>
    public static IReadOnlyList<ReferenceMotion> Load(string path, PoseFileFormat format, HandKinematics kinematics, OutOfRangePoses outOfRange = OutOfRangePoses.Refuse)
    {
        ArgumentNullException.ThrowIfNull(kinematics);
        string extension = format == PoseFileFormat.Json ? ".json" : ".csv";
        string[] files;
        if (Directory.Exists(path))
        {
            files = Directory.GetFiles(path).Where(f => f.EndsWith(extension, StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).ToArray();
            if (files.Length == 0)
            {
                throw new DataFormatException(path, "files", $"the folder holds no {extension} pose-sequence files");
            }
        }
        else if (File.Exists(path))
        {
            files = [path];
        }
        else
        {
            throw new DataFormatException(path, "path", "no such file or folder");
        }
        return files.Select(file => FromSequence(file, format == PoseFileFormat.Json ? PoseSequenceJson.Read(file, outOfRange) : PoseSequenceCsv.Read(file, outOfRange), kinematics)).ToArray();
    }

    /// <summary>A pose sequence as a reference motion; <paramref name="source"/> names it in errors.</summary>
    public static ReferenceMotion FromSequence(string source, PoseSequence sequence, HandKinematics kinematics)
    {
        if (sequence.Frames < 2)
        {
            throw new DataFormatException(source, "poses", $"{sequence.Frames} frame(s); a reference motion needs at least 2");
        }
        return ReferenceMotion.FromManoPoses(kinematics, sequence.Name, sequence.Poses, sequence.Fps, sequence.Synthetic);
    }
}

/// <summary>The format of a pose file.</summary>
public enum PoseFileFormat
{
    Json,
    Csv,
}
