using MsMano.Biomechanics.Kinematics;
using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Biomechanics.Kinematics.InverseKinematics;
using MsMano.Evaluation.Metrics;

namespace MsMano.Evaluation.Datasets.MotionSources;

/// <summary>
/// Fits a run of 21-keypoint frames to the hand frame by frame, each fit warm-started from the previous frame's angles:
/// OakInk ground truth and joints-only base-estimator predictions go through the same fit. Dataset hands are not the
/// model's size, so the scale is estimated; 60 steps reach well below a millimetre on in-limit poses.
/// </summary>
public sealed class KeypointTrackFitter
{
    private readonly KeypointInverseKinematics _ik;
    private readonly Vec3[] _points = new Vec3[HandKinematics.KeypointCount];

    public KeypointTrackFitter(HandKinematics kinematics)
    {
        _ik = new KeypointInverseKinematics(kinematics, new KeypointIkOptions { EstimateScale = true, MaxIterations = 60, ErrorTolerance = 1e-6 });
    }

    /// <summary>
    /// Fits rows <paramref name="firstRow"/> .. +<paramref name="count"/> of <paramref name="joints"/> (metres), calling
    /// <paramref name="onFrame"/> with the frame's offset in the run and its fit; returns the sum of the fits' mean
    /// keypoint errors (m). A frame that cannot be fitted (coincident or collinear palm points) throws what
    /// <paramref name="degenerate"/> builds from its row and the solver's error.
    /// </summary>
    public double Fit(Keypoints joints, int firstRow, int count, Action<int, KeypointFit> onFrame, Func<int, ArgumentException, Exception> degenerate)
    {
        ArgumentNullException.ThrowIfNull(joints);
        ArgumentNullException.ThrowIfNull(onFrame);
        ArgumentNullException.ThrowIfNull(degenerate);
        double[]? previous = null;
        double errorSum = 0;
        for (int i = 0; i < count; i++)
        {
            int row = firstRow + i;
            for (int k = 0; k < _points.Length; k++)
            {
                _points[k] = new Vec3(joints[row, k, 0], joints[row, k, 1], joints[row, k, 2]);
            }

            KeypointFit fit;
            try
            {
                fit = _ik.Fit(_points, previous);
            }
            catch (ArgumentException e)
            {
                throw degenerate(row, e);
            }

            previous = fit.Angles;
            errorSum += fit.MeanError;
            onFrame(i, fit);
        }

        return errorSum;
    }
}
