using MsMano.Biomechanics.Kinematics;
using MsMano.Evaluation.Datasets.MotionSources;
using MsMano.Evaluation.Metrics;
using MsMano.ModelFormats;

namespace MsMano.Evaluation.Datasets.Predictions;

/// <summary>Poses of a run of predicted frames on the hand model, and how they were obtained.</summary>
/// <param name="Poses">[frames, 48], hand-frame convention (what BioPR takes).</param>
/// <param name="FromJoints">True when the file had joints only and the poses were fitted by inverse kinematics.</param>
/// <param name="KeypointErrorSumM">Sum over the frames of the fit's mean keypoint distance (m); 0 for poses.</param>
public sealed record PredictedRun(float[] Poses, bool FromJoints, double KeypointErrorSumM);

/// <summary>
/// Turns predictions into what BioPR refines, per-frame poses of the hand model. MANO poses are used directly (those
/// written in the real MANO model's frame go through <see cref="ManoPoseConverter"/> first). A sequence with 21 joints
/// only is fitted like OakInk's ground truth (<see cref="OakInkMotions"/>): per frame the hand scale, the palm by Kabsch
/// and the 45 angles by <see cref="KeypointTrackFitter"/> inside the joint limits, warm-started from the
/// previous frame. The base row of a benchmark is then this fit, so its keypoint error is reported with it.
/// </summary>
public sealed class PredictedPoses
{
    private readonly HandKinematics _kinematics;
    private readonly ManoPoseConverter? _mano;
    private readonly KeypointTrackFitter _fitter;

    public PredictedPoses(HandKinematics kinematics, ManoPoseConverter? mano = null)
    {
        ArgumentNullException.ThrowIfNull(kinematics);
        _kinematics = kinematics;
        _mano = mano;
        _fitter = new KeypointTrackFitter(kinematics);
    }

    /// <summary>
    /// Poses for rows <paramref name="firstRow"/> .. +<paramref name="count"/> of sequence <paramref name="index"/> of
    /// <paramref name="set"/>; <paramref name="source"/> (the file) and the sequence index name any problem.
    /// </summary>
    public PredictedRun Convert(PredictionSet set, int index, int firstRow, int count, string source)
    {
        ArgumentNullException.ThrowIfNull(set);
        PredictedSequence sequence = set.Sequences[index];
        if (sequence.Poses is { } poses)
        {
            return new PredictedRun(FromPoses(set.PoseFrame, poses, firstRow, count, source), FromJoints: false, 0);
        }

        return FromJoints(sequence.JointsM!, firstRow, count, source, $"sequences[{index}].joints");
    }

    private float[] FromPoses(PredictedPoseFrame frame, float[] poses, int firstRow, int count, string source)
    {
        int size = HandKinematics.PoseLength;
        float[] result = poses.AsSpan(firstRow * size, count * size).ToArray();
        if (frame == PredictedPoseFrame.Hand)
        {
            return result;
        }

        if (_mano is null)
        {
            throw new DataFormatException(source, "pose_frame",
                "'mano' poses need the user's MANO model (--mano <MANO_RIGHT.pkl>) to be turned into the hand model's frame");
        }

        double[] global = new double[3];
        double[] joints = new double[size - 3];
        for (int f = 0; f < count; f++)
        {
            Span<float> pose = result.AsSpan(f * size, size);
            for (int k = 0; k < size; k++)
            {
                (k < 3 ? global : joints)[k < 3 ? k : k - 3] = pose[k];
            }

            _mano.ToHandPose(global, joints, pose);
        }

        return result;
    }

    private PredictedRun FromJoints(Keypoints joints, int firstRow, int count, string source, string field)
    {
        int size = HandKinematics.PoseLength;
        float[] result = new float[count * size];
        double errorSum = _fitter.Fit(
            joints,
            firstRow,
            count,
            (f, fit) =>
            {
                double[] pose = _kinematics.PoseFromAngles(fit.Angles, fit.RootRotation.Log());
                for (int k = 0; k < size; k++)
                {
                    result[(f * size) + k] = (float)pose[k];
                }
            },
            (row, e) => new DataFormatException(source, $"{field}[{row}]", $"cannot be fitted by inverse kinematics ({e.Message})", e));
        return new PredictedRun(result, FromJoints: true, errorSum);
    }
}
