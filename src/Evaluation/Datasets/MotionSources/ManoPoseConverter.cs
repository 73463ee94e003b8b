using MsMano.Biomechanics.Kinematics;
using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Biomechanics.Mano;
using MsMano.ModelFormats;

namespace MsMano.Evaluation.Datasets.MotionSources;

/// <summary>
/// Turns poses of the real MANO model into the hand model's convention. MANO's local rotations are expressed in MANO's
/// own frame; the model's in its hand frame (fingers along -y for the shipped hand). T, the rotation of the Kabsch fit of
/// MANO's template joints onto the model's rest joint centres (the alignment <see cref="ManoShape"/> uses), maps one onto
/// the other: a joint rotation R becomes T R T^T (its axis-angle vector v becomes T v), and the global rotation G, which
/// takes MANO-frame vectors to the camera, becomes G T^T for hand-frame vectors.
/// </summary>
public sealed class ManoPoseConverter
{
    private const int Components = 45;
    private readonly ManoModel _mano;
    private readonly Mat3 _toHand;

    public ManoPoseConverter(ManoModel mano, HandKinematics kinematics)
    {
        ArgumentNullException.ThrowIfNull(mano);
        ArgumentNullException.ThrowIfNull(kinematics);
        _mano = mano;
        Vec3[] centres = Enumerable.Range(0, ManoModel.JointCount).Select(kinematics.RestCentre).ToArray();
        _toHand = RigidFit.Kabsch(mano.Joints([]), centres).Rotation;
    }

    /// <summary>MANO frame to hand frame rotation T.</summary>
    public Mat3 ToHandFrame => _toHand;

    /// <summary>
    /// Full axis-angle (45) of PCA coefficients with the mean added (manopth's flat_hand_mean=False, the DexYCB labels'
    /// convention): full = hands_mean + coeffs . hands_components, the components being rows.
    /// </summary>
    public double[] FullPoseFromPca(ReadOnlySpan<float> coefficients)
    {
        if (coefficients.Length != Components)
        {
            throw new ArgumentException($"Expected {Components} PCA coefficients, got {coefficients.Length}.", nameof(coefficients));
        }
        double[] full = (double[])_mano.HandsMean.Clone();
        for (int c = 0; c < Components; c++)
        {
            double k = coefficients[c];
            for (int i = 0; i < Components; i++)
            {
                full[i] += k * _mano.HandsComponents[(c * Components) + i];
            }
        }
        return full;
    }

    /// <summary>
    /// A MANO pose (global axis-angle + 45 joint axis-angles, MANO frame) as a 48-number pose in the hand frame,
    /// ready for <see cref="Environments.Motion.ReferenceMotion.FromManoPoses"/>.
    /// </summary>
    public void ToHandPose(ReadOnlySpan<double> global, ReadOnlySpan<double> joints45, Span<float> pose48)
    {
        Vec3 root = (Mat3.Exp(new Vec3(global[0], global[1], global[2])) * _toHand.Transpose()).Log();
        pose48[0] = (float)root.X;
        pose48[1] = (float)root.Y;
        pose48[2] = (float)root.Z;
        for (int j = 0; j < 15; j++)
        {
            Vec3 v = _toHand * new Vec3(joints45[j * 3], joints45[(j * 3) + 1], joints45[(j * 3) + 2]);
            pose48[3 + (j * 3)] = (float)v.X;
            pose48[4 + (j * 3)] = (float)v.Y;
            pose48[5 + (j * 3)] = (float)v.Z;
        }
    }

    /// <summary>The inverse of <see cref="ToHandPose"/>: a hand-frame pose (48) as a full MANO pose (global + 45 joint axis-angles, MANO frame).</summary>
    public void ToManoPose(ReadOnlySpan<float> pose48, Span<double> mano48)
    {
        Vec3 global = (Mat3.Exp(new Vec3(pose48[0], pose48[1], pose48[2])) * _toHand).Log();
        mano48[0] = global.X;
        mano48[1] = global.Y;
        mano48[2] = global.Z;
        Mat3 back = _toHand.Transpose();
        for (int j = 0; j < 15; j++)
        {
            Vec3 v = back * new Vec3(pose48[3 + (j * 3)], pose48[4 + (j * 3)], pose48[5 + (j * 3)]);
            mano48[3 + (j * 3)] = v.X;
            mano48[4 + (j * 3)] = v.Y;
            mano48[5 + (j * 3)] = v.Z;
        }
    }

    /// <summary>DexYCB's pose_m (51: global 3, PCA 45, translation 3) as a hand-frame pose of 48 numbers.</summary>
    public void FromDexYcbPoseM(ReadOnlySpan<float> poseM, Span<float> pose48, string source)
    {
        if (poseM.Length != 51)
        {
            throw new DataFormatException(source, "pose_m", $"has {poseM.Length} values, expected 51");
        }
        double[] full = FullPoseFromPca(poseM.Slice(3, Components));
        ToHandPose([poseM[0], poseM[1], poseM[2]], full, pose48);
    }
}
