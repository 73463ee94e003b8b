using MsMano.Evaluation.Metrics;

namespace MsMano.Evaluation.Official;

/// <summary>
/// What the official DexYCB protocol scores one benchmark sequence against: the labels' joint_3d (camera frame, mm,
/// DexYCB order) with validity, the pose_m translation of each frame (m) and the subject's MANO β.
/// </summary>
public sealed record OfficialClip(string Subject, float[] Betas, Keypoints JointsMm, bool[] Valid, double[] Translations)
{
    public int Frames => JointsMm.Frames;
}
