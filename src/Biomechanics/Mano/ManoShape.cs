using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Biomechanics.Model;
using MsMano.Biomechanics.Shape;

namespace MsMano.Biomechanics.Mano;

/// <summary>
/// Puts a joint-centric hand on a MANO shape (paper Sec. 3.2): joint centres become MANO's
/// J = J_regressor (v_template + shapedirs beta), expressed in the hand frame.
///
/// - Frame alignment: MANO's template joints (beta = 0) are fitted rigidly (Kabsch: rotation + translation, no scale)
///   onto the model's rest joint centres; the same transform maps the shaped joints into the hand frame. So beta = 0
///   gives MANO's template skeleton in the model's placement, and betas act on top of it.
/// - Frames: each joint's anatomical frame is turned by the minimal rotation Q_j taking its old bone direction onto
///   the new one (bone = toward the child joint; for the last joint of a chain, the direction from its parent), so the
///   twist axis keeps its relation to the bone and flexion stays flexion.
/// - Attachments stay joint-centric and move as the segment does: offsets on joint j become s_j Q_j o, with s_j the
///   bone-length ratio; palm offsets (joint 0) are scaled by the mean ratio of the wrist-to-MCP/CMC distances and not
///   rotated (the palm defines the hand frame). Masses scale with s^3, inertias are rotated and scale with s^5.
/// - Muscle length ranges are rescaled by each muscle's rest path-length ratio (as in <see cref="ShapedModel"/>).
/// </summary>
public static class ManoShape
{
    public static HandModel Apply(HandModel model, ManoModel mano, ReadOnlySpan<double> betas)
    {
        model.Validate();
        if (!mano.Parents.Skip(1).SequenceEqual(HandModelValidation.ManoParents.Skip(1)))
        {
            throw new ArgumentException($"{mano.Source}: kintree_table does not match MANO's joint tree.");
        }
        Vec3[] oldCentres = model.Joints.Select(j => Vec3.From(j.Position)).ToArray();
        var fit = RigidFit.Kabsch(mano.Joints([]), oldCentres);
        Vec3[] centres = mano.Joints(betas).Select(fit.Apply).ToArray();

        var rotations = new Mat3[HandModel.JointCount];
        double[] scales = new double[HandModel.JointCount];
        rotations[0] = Mat3.Identity;
        scales[0] = PalmScale(model, oldCentres, centres);
        for (int j = 1; j < HandModel.JointCount; j++)
        {
            Vec3 before = Bone(model, oldCentres, j), after = Bone(model, centres, j);
            rotations[j] = MinimalRotation(before.Normalized(), after.Normalized());
            scales[j] = after.Norm() / before.Norm();
        }

        double[] Offset(int j, double[] o) => (scales[j] * (rotations[j] * Vec3.From(o))).ToArray();
        var joints = new JointSpec[HandModel.JointCount];
        for (int j = 0; j < joints.Length; j++)
        {
            JointSpec old = model.Joints[j];
            Mat3 frame = rotations[j] * Quat.From(old.Frame).ToMatrix();
            joints[j] = old with
            {
                Position = centres[j].ToArray(),
                Frame = frame.ToQuat().ToArray(),
                Body = TransformBody(old.Body, rotations[j], scales[j]),
            };
        }
        HandModel shaped = model with
        {
            Joints = joints,
            Tips = model.Tips.Select(t => t with { Offset = Offset(t.Joint, t.Offset) }).ToArray(),
            Muscles = model.Muscles
                .Select(m => m with { Path = m.Path.Select(v => v with { Offset = Offset(v.Joint, v.Offset) }).ToArray() })
                .ToArray(),
        };
        return ShapedModel.RescaleLengthRanges(model, shaped);
    }

    /// <summary>The bone vector used to orient joint j: toward its child, or from its parent for a chain's last joint.</summary>
    private static Vec3 Bone(HandModel model, Vec3[] centres, int j)
    {
        for (int c = j + 1; c < HandModel.JointCount; c++)
        {
            if (model.Joints[c].Parent == j)
            {
                return centres[c] - centres[j];
            }
        }
        return centres[j] - centres[model.Joints[j].Parent];
    }

    private static double PalmScale(HandModel model, Vec3[] before, Vec3[] after)
    {
        double a = 0, b = 0;
        for (int j = 1; j < HandModel.JointCount; j++)
        {
            if (model.Joints[j].Parent == 0)
            {
                a += (before[j] - before[0]).Norm();
                b += (after[j] - after[0]).Norm();
            }
        }
        return b / a;
    }

    /// <summary>The smallest rotation taking unit vector a onto unit vector b.</summary>
    public static Mat3 MinimalRotation(Vec3 a, Vec3 b)
    {
        Vec3 axis = a.Cross(b);
        double s = axis.Norm(), c = a.Dot(b);
        if (s < 1e-15)
        {
            if (c > 0)
            {
                return Mat3.Identity;
            }
            Vec3 perp = Math.Abs(a.X) < 0.9 ? a.Cross(Vec3.UnitX) : a.Cross(Vec3.UnitY);
            return Mat3.Exp(Math.PI * perp.Normalized());
        }
        return Mat3.Exp(Math.Atan2(s, c) * (axis / s));
    }

    private static BodySpec TransformBody(BodySpec body, Mat3 r, double s)
    {
        double[] i = body.Inertia;
        Mat3 inertia = Math.Pow(s, 5) * (r * Mat3.Symmetric(i[0], i[1], i[2], i[3], i[4], i[5]) * r.Transpose());
        return body with
        {
            Mass = body.Mass * s * s * s,
            CenterOfMass = (s * (r * Vec3.From(body.CenterOfMass))).ToArray(),
            Inertia = [inertia.M00, inertia.M11, inertia.M22, inertia.M01, inertia.M02, inertia.M12],
        };
    }
}
