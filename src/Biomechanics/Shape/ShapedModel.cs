using MsMano.Biomechanics.Kinematics;
using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Biomechanics.Mano;
using MsMano.Biomechanics.Model;

namespace MsMano.Biomechanics.Shape;

/// <summary>
/// Applies a <see cref="HandShape"/> to a joint-centric hand (paper Eq. 3-5: attachments are stored relative to their
/// joint, so moving the joints carries them along).
///
/// - Joint centres: each parent-to-child vector is scaled by the length factor L; the palm (joint 0) is additionally
///   widened: the MCP and thumb CMC centres move by D = diag(B, L, L) about the wrist/palm centre c_0 (x across the
///   palm scaled by the breadth factor B). Finger chains follow their MCPs.
/// - Offsets (via points, tips, centres of mass) scale with their segment: palm offsets by the same D (so metacarpal
///   sites keep their place relative to the MCPs), finger and thumb offsets uniformly by L (phalanges stay
///   geometrically similar). Under uniform scaling (L = B) the whole hand scales exactly, moment arms included.
/// - Masses scale with segment volume (det D or L^3, constant density); inertias follow the scaled mass distribution:
///   second moment S' = det(D) D S D, I' = tr(S') E - S'.
/// - Muscles: each length range is multiplied by the ratio of the muscle's new to old rest path length, which keeps
///   L0 and the tendon length proportional to the path and so the normalised fibre length at rest unchanged. Peak
///   forces are kept (no PCSA model).
/// - Frames: the anatomical frames are kept (scaling preserves bone directions up to the palm widening; MANO betas
///   re-aim them, see <see cref="ManoShape"/>). Limits, damping and armature are kept.
/// </summary>
public static class ShapedModel
{
    public static HandModel Apply(HandModel model, HandShape shape, ManoModel? mano = null)
    {
        shape.Validate();
        model.Validate();
        HandModel baseModel = model;
        if (shape.Betas is not null)
        {
            if (mano is null)
            {
                throw new ArgumentException("HandShape.Betas are set but no MANO model was given (ManoModelFile.Load).");
            }
            baseModel = ManoShape.Apply(model, mano, shape.Betas);
        }
        return Scale(baseModel, shape.LengthScale, shape.BreadthScale);
    }

    private static HandModel Scale(HandModel model, double length, double breadth)
    {
        JointSpec[] joints = model.Joints;
        Vec3[] oldCentres = joints.Select(j => Vec3.From(j.Position)).ToArray();
        var centres = new Vec3[joints.Length];
        var palm = Mat3.Diagonal(breadth, length, length);
        centres[0] = oldCentres[0];
        for (int j = 1; j < joints.Length; j++)
        {
            int p = joints[j].Parent;
            Vec3 v = oldCentres[j] - oldCentres[p];
            centres[j] = centres[p] + (p == 0 ? palm * v : length * v);
        }
        Mat3 Segment(int j) => j == 0 ? palm : Mat3.Diagonal(length, length, length);
        double[] Offset(int j, double[] o) => (Segment(j) * Vec3.From(o)).ToArray();

        var newJoints = new JointSpec[joints.Length];
        for (int j = 0; j < joints.Length; j++)
        {
            newJoints[j] = joints[j] with
            {
                Position = centres[j].ToArray(),
                Body = ScaleBody(joints[j].Body, Segment(j)),
            };
        }
        TipSpec[] tips = model.Tips.Select(t => t with { Offset = Offset(t.Joint, t.Offset) }).ToArray();
        HandModel scaled = model with { Joints = newJoints, Tips = tips };
        MuscleSpec[] muscles = model.Muscles
            .Select(m => m with
            {
                Path = m.Path.Select(v => v with { Offset = Offset(v.Joint, v.Offset) }).ToArray(),
                Wraps = (m.Wraps ?? []).Select(w => ScaleWrap(w, Segment(w.Joint))).ToArray(),
            })
            .ToArray();
        scaled = scaled with { Muscles = muscles };
        return RescaleLengthRanges(model, scaled);
    }

    /// <summary>A wrap surface carried like its joint's via points; the radius scales with the segment's mean stretch.</summary>
    private static WrapSpec ScaleWrap(WrapSpec w, Mat3 segment) => w with
    {
        Center = (segment * Vec3.From(w.Center)).ToArray(),
        Side = w.Side is null ? null : (segment * Vec3.From(w.Side)).ToArray(),
        Axis = (segment * Vec3.From(w.Axis)).Normalized().ToArray(),
        Radius = w.Radius * Math.Cbrt(Math.Abs(segment.Determinant())),
    };

    /// <summary>Multiplies each muscle's length range by its rest path-length ratio (new / old).</summary>
    internal static HandModel RescaleLengthRanges(HandModel before, HandModel after)
    {
        double[] rest = new double[HandModel.DofCount];
        double[] oldLengths = new MusclePathGeometry(before).Evaluate(rest).Lengths;
        double[] newLengths = new MusclePathGeometry(after).Evaluate(rest).Lengths;
        MuscleSpec[] muscles = after.Muscles
            .Select((m, i) =>
            {
                double ratio = newLengths[i] / oldLengths[i];
                return m with { LengthRange = [m.LengthRange[0] * ratio, m.LengthRange[1] * ratio] };
            })
            .ToArray();
        HandModel result = after with { Muscles = muscles };
        result.Validate("shaped hand model");
        return result;
    }

    private static BodySpec ScaleBody(BodySpec body, Mat3 d)
    {
        double det = d.Determinant();
        double[] i = body.Inertia;
        var inertia = Mat3.Symmetric(i[0], i[1], i[2], i[3], i[4], i[5]);
        // Second moment of the mass distribution S = tr(I)/2 E - I; scaling x -> D x gives S' = det(D) D S D.
        Mat3 s = 0.5 * inertia.Trace() * Mat3.Identity + (-1.0) * inertia;
        Mat3 s2 = det * (d * s * d);
        Mat3 i2 = s2.Trace() * Mat3.Identity + (-1.0) * s2;
        return body with
        {
            Mass = body.Mass * det,
            CenterOfMass = (d * Vec3.From(body.CenterOfMass)).ToArray(),
            Inertia = [i2.M00, i2.M11, i2.M22, i2.M01, i2.M02, i2.M12],
        };
    }
}
