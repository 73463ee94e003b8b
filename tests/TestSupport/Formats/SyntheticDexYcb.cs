using System.Globalization;
using MsMano.Evaluation.Datasets.DexYcb;
using MsMano.ModelFormats.Numpy;

namespace MsMano.TestSupport.Formats;

/// <summary>A DexYCB-shaped folder of made-up values, laid out as the release is: meta.yml, mano.yml and labels_*.npz.</summary>
public sealed class SyntheticDexYcb(string root)
{
    public string Root { get; } = root;

    /// <summary>Sequence k's folder name (s0 splits by the sorted index, so only the order matters).</summary>
    public static string SequenceName(int sequence) => $"20200101_{sequence:D6}";

    /// <summary>Writes a sequence's meta.yml (the toolkit's serial order unless given) and returns its name.</summary>
    public string AddSequence(int subject, int sequence, int frames, string calibration, string side = "right", IEnumerable<string>? serials = null)
    {
        string name = SequenceName(sequence);
        string meta = DexYcbLayout.MetaPath(Root, DexYcbLayout.Subjects[subject], name);
        Directory.CreateDirectory(Path.GetDirectoryName(meta)!);
        File.WriteAllText(meta, $"""
            serials: ['{string.Join("', '", serials ?? DexYcbLayout.Serials)}']
            num_frames: {frames}
            ycb_ids: [1]
            ycb_grasp_ind: 0
            mano_sides: [{side}]
            mano_calib: [{calibration}]
            extrinsics: '20200702_151821'
            """);
        return name;
    }

    /// <summary>Writes a subject calibration's mano.yml with these shape coefficients.</summary>
    public void AddCalibration(string calibration, params float[] betas)
    {
        string path = DexYcbLayout.ManoCalibrationPath(Root, calibration);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, $"betas: [{string.Join(", ", betas.Select(b => b.ToString(CultureInfo.InvariantCulture)))}]\n");
    }

    /// <summary>Writes one camera's label file of one frame: pose_m (51 values) and joint_3d (63 values, metres).</summary>
    public string AddLabel(int subject, int sequence, int camera, int frame, float[] poseM, float[] joint3d, bool compressed)
    {
        string path = DexYcbLayout.LabelPath(Root, DexYcbLayout.Subjects[subject], SequenceName(sequence), DexYcbLayout.Serials[camera], frame);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        NpzWriter.Write(path,
        [
            new("pose_m", NdArray.FromFloats(poseM, 1, 51)),
            new("joint_3d", NdArray.FromFloats(joint3d, 1, 21, 3)),
        ], compressed);
        return path;
    }
}
