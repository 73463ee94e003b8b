using MsMano.Biomechanics.Kinematics;
using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Biomechanics.Model;

namespace MsMano.Evaluation.BioPr;

/// <summary>
/// MANO axis-angle pose (48: wrist, then joints 1-15) to the simulator's 45 joint angles and back, for one hand model,
/// without allocating: the same maths as <see cref="HandKinematics.AnglesFromPose"/> and
/// <see cref="HandKinematics.PoseFromAngles"/>, but writing into caller spans so the BioPR loop can convert every frame.
/// </summary>
public sealed class PoseAngles
{
    public const int PoseSize = HandKinematics.PoseLength;
    public const int AngleCount = HandModel.DofCount;

    private readonly HandKinematics _kinematics;
    private readonly Mat3[] _frames;

    public PoseAngles(HandKinematics kinematics)
    {
        _kinematics = kinematics ?? throw new ArgumentNullException(nameof(kinematics));
        _frames = new Mat3[HandModel.JointCount];
        for (int j = 0; j < _frames.Length; j++)
        {
            _frames[j] = kinematics.Frame(j);
        }
    }

    public HandKinematics Kinematics => _kinematics;

    /// <summary>Joint angles of a pose; the wrist entry is ignored (the simulator's root is fixed).</summary>
    public void ToAngles(ReadOnlySpan<float> pose, Span<float> angles)
    {
        Check(pose.Length, PoseSize, "pose");
        Check(angles.Length, AngleCount, "angles");
        for (int j = 1; j < HandModel.JointCount; j++)
        {
            var r = Mat3.Exp(new Vec3(pose[j * 3], pose[(j * 3) + 1], pose[(j * 3) + 2]));
            Mat3 a = _frames[j];
            (double x, double y, double z) = HandKinematics.EulerXuz(a.Transpose() * r * a, _kinematics.AbductionAxis(j));
            int d = (j - 1) * 3;
            angles[d] = (float)x;
            angles[d + 1] = (float)y;
            angles[d + 2] = (float)z;
        }
    }

    /// <summary>Pose of joint angles with the given wrist axis-angle (3 numbers).</summary>
    public void ToPose(ReadOnlySpan<float> angles, ReadOnlySpan<float> wrist, Span<float> pose)
    {
        Check(angles.Length, AngleCount, "angles");
        Check(wrist.Length, 3, "wrist");
        Check(pose.Length, PoseSize, "pose");
        wrist.CopyTo(pose);
        for (int j = 1; j < HandModel.JointCount; j++)
        {
            int d = (j - 1) * 3;
            Vec3 v = _kinematics.LocalRotation(j, angles[d], angles[d + 1], angles[d + 2]).Log();
            pose[j * 3] = (float)v.X;
            pose[(j * 3) + 1] = (float)v.Y;
            pose[(j * 3) + 2] = (float)v.Z;
        }
    }

    private static void Check(int actual, int expected, string what)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{what} has {actual} numbers; expected {expected}.", what);
        }
    }
}
