using MsMano.Biomechanics.Kinematics;
using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Biomechanics.Kinematics.InverseKinematics;

namespace MsMano.Environments.Motion.Generator;

/// <summary>
/// Puts the thumb tip at a point by inverse kinematics on the nine thumb dofs only (root at rest, other fingers held),
/// so oppositions come from the model's own thumb geometry rather than hand-tuned angles. Unreachable points give the
/// closest reachable thumb posture.
/// </summary>
internal sealed class ThumbPlacer
{
    private static readonly bool[] ThumbDofs = Enumerable.Range(0, 45).Select(d => d >= Fingers.ThumbFirstDof).ToArray();

    private readonly KeypointInverseKinematics _ik;

    public ThumbPlacer(HandKinematics kinematics, double limitMargin)
    {
        // A key pose needs millimetre accuracy at most; a bounded solve keeps unreachable targets cheap.
        _ik = new KeypointInverseKinematics(kinematics, new KeypointIkOptions { LimitMargin = limitMargin, MaxIterations = 40, ErrorTolerance = 2e-4 });
    }

    public HandKinematics Kinematics => _ik.Kinematics;

    public Vec3[] Keypoints(double[] pose) => Kinematics.Keypoints(Kinematics.Forward(pose));

    /// <summary>
    /// Moves the thumb of <paramref name="pose"/> so its tip sits <paramref name="standoff"/> metres from
    /// <paramref name="contact"/>, on the side the thumb comes from (the finger pads' thickness).
    /// </summary>
    public void Place(double[] pose, Vec3 contact, double standoff)
    {
        Vec3[] current = Keypoints(pose);
        Vec3 away = current[Fingers.ThumbTipKeypoint] - contact;
        Vec3 direction = away.Norm() > 1e-9 ? away.Normalized() : Vec3.UnitX;
        var targets = (Vec3[])current.Clone();
        targets[Fingers.ThumbTipKeypoint] = contact + direction * standoff;
        double[] weights = new double[HandKinematics.KeypointCount];
        weights[Fingers.ThumbTipKeypoint] = 1;
        KeypointFit fit = _ik.FitAngles(targets, weights, pose, Mat3.Identity, Kinematics.RestCentre(0), ThumbDofs);
        Array.Copy(fit.Angles, Fingers.ThumbFirstDof, pose, Fingers.ThumbFirstDof, pose.Length - Fingers.ThumbFirstDof);
    }
}
