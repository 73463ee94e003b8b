using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Biomechanics.Model;

namespace MsMano.Biomechanics.Kinematics;

/// <summary>
/// Scalar reference kinematics of a <see cref="HandModel"/> (double precision, clear rather than fast), following the
/// convention in HandModel.cs: R_rel_j = A_j Rx(q_flex) Ru(q_abd) Rz(q_twist) A_j^T (u = the joint's abduction hinge,
/// y unless its source's hinges are not perpendicular), Rw_j = Rw_parent R_rel_j,
/// x_j = x_parent + Rw_parent (c_j - c_parent). Joint angles are 45 numbers, dof = (j - 1) * 3 + axis.
/// </summary>
public sealed class HandKinematics
{
    public const int PoseLength = HandModel.JointCount * 3;
    public const int KeypointCount = 21;

    /// <summary>DexYCB / manopth 21-keypoint order over [16 MANO joints, 5 tips (thumb, index, middle, ring, little)].</summary>
    public static readonly int[] KeypointOrder = [0, 13, 14, 15, 16, 1, 2, 3, 17, 4, 5, 6, 18, 10, 11, 12, 19, 7, 8, 9, 20];

    private readonly Mat3[] _frames;
    private readonly Vec3[] _abduction;
    private readonly Vec3[] _centres;
    private readonly int[] _parents;

    public HandKinematics(HandModel model)
    {
        model.Validate();
        Model = model;
        _frames = model.Joints.Select(j => Quat.From(j.Frame).ToMatrix()).ToArray();
        _abduction = model.Joints.Select(j => Vec3.From(j.AbductionAxis)).ToArray();
        _centres = model.Joints.Select(j => Vec3.From(j.Position)).ToArray();
        _parents = model.Joints.Select(j => j.Parent).ToArray();
    }

    public HandModel Model { get; }

    /// <summary>A_j: the anatomical frame (columns flexion, abduction, twist) in hand-frame axes.</summary>
    public Mat3 Frame(int joint) => _frames[joint];

    /// <summary>u_j: the abduction hinge in the anatomical frame (y, or a hinge in the x-y plane not perpendicular to flexion).</summary>
    public Vec3 AbductionAxis(int joint) => _abduction[joint];

    public Vec3 RestCentre(int joint) => _centres[joint];

    public int Parent(int joint) => _parents[joint];

    /// <summary>Local rotation of joint j (1..15) for its three angles, in hand-frame axes.</summary>
    public Mat3 LocalRotation(int joint, double flexion, double abduction, double twist)
    {
        Mat3 a = _frames[joint];
        return a * Mat3.RotX(flexion) * Abduct(joint, abduction) * Mat3.RotZ(twist) * a.Transpose();
    }

    /// <summary>
    /// World axes of joint j's three Euler angles given its parent's world rotation: the flexion hinge is fixed in the
    /// parent, the abduction hinge is carried by flexion, the twist axis by both (angular velocity = sum axis_k dq_k).
    /// </summary>
    public (Vec3 Flexion, Vec3 Abduction, Vec3 Twist) DofAxes(int joint, Mat3 parentRotation, double flexion, double abduction)
    {
        Mat3 pa = parentRotation * _frames[joint];
        Mat3 px = pa * Mat3.RotX(flexion);
        return (pa.Column(0), px * _abduction[joint], (px * Abduct(joint, abduction)).Column(2));
    }

    /// <summary>Forward kinematics for 45 joint angles; the root (palm) at <paramref name="rootRotation"/> and the wrist centre at <paramref name="rootPosition"/> (defaults: rest).</summary>
    public HandFrames Forward(ReadOnlySpan<double> angles, Mat3? rootRotation = null, Vec3? rootPosition = null)
    {
        CheckLength(angles.Length, HandModel.DofCount, "joint angles");
        var rot = new Mat3[HandModel.JointCount];
        var pos = new Vec3[HandModel.JointCount];
        rot[0] = rootRotation ?? Mat3.Identity;
        pos[0] = rootPosition ?? _centres[0];
        for (int j = 1; j < HandModel.JointCount; j++)
        {
            int p = _parents[j];
            int d = (j - 1) * 3;
            rot[j] = rot[p] * LocalRotation(j, angles[d], angles[d + 1], angles[d + 2]);
            pos[j] = pos[p] + rot[p] * (_centres[j] - _centres[p]);
        }
        return new HandFrames(rot, pos);
    }

    /// <summary>The 21 keypoints (DexYCB order: wrist, thumb mcp/pip/dip/tip, index ..., middle ..., ring ..., little ...).</summary>
    public Vec3[] Keypoints(HandFrames frames)
    {
        var all = new Vec3[HandModel.JointCount + HandModel.TipCount];
        Array.Copy(frames.Positions, all, HandModel.JointCount);
        for (int t = 0; t < HandModel.TipCount; t++)
        {
            TipSpec tip = Model.Tips[t];
            all[HandModel.JointCount + t] = frames.Point(tip.Joint, Vec3.From(tip.Offset));
        }
        return KeypointOrder.Select(i => all[i]).ToArray();
    }

    /// <summary>
    /// MANO axis-angle pose (16 x 3, flattened): entry 0 is the root orientation (zero when the wrist is fixed),
    /// entry j = log(R_rel_j) in hand-frame axes.
    /// </summary>
    public double[] PoseFromAngles(ReadOnlySpan<double> angles, Vec3? rootRotationVector = null)
    {
        CheckLength(angles.Length, HandModel.DofCount, "joint angles");
        double[] pose = new double[PoseLength];
        Vec3 root = rootRotationVector ?? Vec3.Zero;
        pose[0] = root.X;
        pose[1] = root.Y;
        pose[2] = root.Z;
        for (int j = 1; j < HandModel.JointCount; j++)
        {
            int d = (j - 1) * 3;
            Vec3 v = LocalRotation(j, angles[d], angles[d + 1], angles[d + 2]).Log();
            pose[j * 3] = v.X;
            pose[j * 3 + 1] = v.Y;
            pose[j * 3 + 2] = v.Z;
        }
        return pose;
    }

    /// <summary>
    /// Joint angles of a MANO axis-angle pose: per joint, M = A^T exp(pose_j) A decomposed as Rx(a) Ry(b) Rz(c) with
    /// b in [-pi/2, pi/2] (unique away from gimbal lock |b| = pi/2, far outside every joint's range). The root entry is
    /// ignored (returned by <see cref="RootRotationOf"/>).
    /// </summary>
    public double[] AnglesFromPose(ReadOnlySpan<double> pose)
    {
        CheckLength(pose.Length, PoseLength, "MANO pose");
        double[] angles = new double[HandModel.DofCount];
        for (int j = 1; j < HandModel.JointCount; j++)
        {
            var r = Mat3.Exp(new Vec3(pose[j * 3], pose[j * 3 + 1], pose[j * 3 + 2]));
            Mat3 a = _frames[j];
            (double x, double y, double z) = EulerXuz(a.Transpose() * r * a, _abduction[j]);
            int d = (j - 1) * 3;
            angles[d] = x;
            angles[d + 1] = y;
            angles[d + 2] = z;
        }
        return angles;
    }

    public static Vec3 RootRotationOf(ReadOnlySpan<double> pose)
    {
        CheckLength(pose.Length, PoseLength, "MANO pose");
        return new Vec3(pose[0], pose[1], pose[2]);
    }

    /// <summary>Angles (a, b, c) with m = Rx(a) Ry(b) Rz(c).</summary>
    public static (double X, double Y, double Z) EulerXyz(Mat3 m)
    {
        double b = Math.Asin(Math.Clamp(m.M02, -1.0, 1.0));
        double a = Math.Atan2(-m.M12, m.M22);
        double c = Math.Atan2(-m.M01, m.M00);
        return (a, b, c);
    }

    /// <summary>
    /// Angles (a, b, c) with m = Rx(a) Ru(b) Rz(c) for a hinge u = (ux, uy, 0), uy &gt; 0 (EulerXyz when u = y). Since u is
    /// perpendicular to z, m·z = Rx(a)·v with v = Ru(b)·z = (uy sin b, −ux sin b, cos b), whose x part fixes b; a turns v
    /// onto m·z about x, and c likewise turns Ru(−b)·x onto m's first row about z. Clamped where m is not reachable.
    /// </summary>
    public static (double X, double Y, double Z) EulerXuz(Mat3 m, Vec3 u)
    {
        if (u.X == 0)
        {
            return EulerXyz(m);
        }
        double ux = u.X, uy = u.Y;
        double b = Math.Asin(Math.Clamp(m.M02 / uy, -1.0, 1.0));
        (double sb, double cb) = Math.SinCos(b);
        double vy = -ux * sb, vz = cb;
        double a = Math.Atan2(vy * m.M22 - vz * m.M12, vy * m.M12 + vz * m.M22);
        double wx = cb + ux * ux * (1 - cb), wy = ux * uy * (1 - cb);
        double c = Math.Atan2(wy * m.M00 - wx * m.M01, wx * m.M00 + wy * m.M01);
        return (a, b, c);
    }

    /// <summary>Ru(angle) for joint j's abduction hinge (RotY for a perpendicular one).</summary>
    private Mat3 Abduct(int joint, double angle) =>
        _abduction[joint].X == 0 ? Mat3.RotY(angle) : Mat3.FromQuat(Quat.FromAxisAngle(_abduction[joint], angle));

    private static void CheckLength(int actual, int expected, string what)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"Expected {expected} {what}, got {actual}.");
        }
    }
}
