using MsMano.Biomechanics.Kinematics;
using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Evaluation.Datasets.PoseFiles;
using MsMano.Evaluation.Metrics;

namespace MsMano.Evaluation.Benchmark;

/// <summary>The 21 keypoints (DexYCB order, millimetres) of a pose sequence on a hand model, for the metrics.</summary>
public static class PoseKeypoints
{
    public static Keypoints Millimetres(HandKinematics kinematics, PoseSequence sequence)
    {
        ArgumentNullException.ThrowIfNull(kinematics);
        ArgumentNullException.ThrowIfNull(sequence);
        double[] values = new double[sequence.Frames * HandJoints.Count * 3];
        double[] pose = new double[ManoJoints.PoseSize];
        for (int f = 0; f < sequence.Frames; f++)
        {
            Span<float> frame = sequence.Frame(f);
            for (int k = 0; k < pose.Length; k++)
            {
                pose[k] = frame[k];
            }

            var root = Mat3.Exp(HandKinematics.RootRotationOf(pose));
            Vec3[] points = kinematics.Keypoints(kinematics.Forward(kinematics.AnglesFromPose(pose), root));
            for (int j = 0; j < HandJoints.Count; j++)
            {
                int o = ((f * HandJoints.Count) + j) * 3;
                values[o] = points[j].X * 1000;
                values[o + 1] = points[j].Y * 1000;
                values[o + 2] = points[j].Z * 1000;
            }
        }

        return new Keypoints(values, sequence.Frames, HandJoints.Count);
    }
}
