using MsMano.Evaluation.Metrics;
using MsMano.ModelFormats;
using MsMano.ModelFormats.Numpy;

namespace MsMano.Evaluation.Datasets.DexYcb;

/// <summary>
/// The hand part of one labels_XXXXXX.npz: pose_m [1,51] (48 PCA-form MANO pose + translation, all 0 when
/// unannotated), joint_3d [1,21,3] metres in the camera frame (all −1 when invalid), joint_2d [1,21,2] pixels.
/// </summary>
public sealed record DexYcbLabels(string Path, float[] PoseM, float[] Joint3d, float[] Joint2d)
{
    /// <summary>True unless joint_3d is all −1 (the evaluator's rule for ground truth).</summary>
    public bool HasJoints => Joint3d.Any(v => v != -1f);

    /// <summary>True unless the 48 pose numbers are all 0 (Deformer's rule for valid frames).</summary>
    public bool HasPose => PoseM.Take(48).Any(v => v != 0f);

    /// <summary>The 21 joints in metres as a one-frame <see cref="Keypoints"/>.</summary>
    public Keypoints Joints => Keypoints.FromFloats(Joint3d, 1, HandJoints.Count);

    public static DexYcbLabels Read(string path)
    {
        NpzFile npz;
        try
        {
            npz = NpzReader.Read(path);
        }
        catch (IOException e)
        {
            throw new DataFormatException(path, "file", $"cannot be read ({e.Message})", e);
        }

        float[] pose = FieldChecks.FiniteFloats(npz.Require("pose_m", 1, 51), path, "pose_m");
        float[] joint3d = FieldChecks.FiniteFloats(npz.Require("joint_3d", 1, HandJoints.Count, 3), path, "joint_3d");
        float[] joint2d = npz.Contains("joint_2d")
            ? FieldChecks.FiniteFloats(npz.Require("joint_2d", 1, HandJoints.Count, 2), path, "joint_2d")
            : [];
        return new DexYcbLabels(path, pose, joint3d, joint2d);
    }
}
