namespace MsMano.Evaluation.Metrics;

/// <summary>The paper's table columns for one method, plus per-joint detail. Lengths in millimetres, AUC in [0, 1].</summary>
public sealed record MetricSummary(
    int Frames,
    double MpjpeMm,
    double PaMpjpeMm,
    double Auc,
    double PaAuc,
    double AccelerationErrorMm,
    double[] PerJointMpjpeMm,
    double[] PerFrameMpjpeMm);

/// <summary>One evaluated sequence: ground truth and prediction in millimetres, temporal order, optional validity.</summary>
public sealed record EvaluationSequence(string Name, Keypoints GtMm, Keypoints PredMm, IReadOnlyList<bool>? Valid = null);

/// <summary>
/// Computes the reported metrics over sequences: root-relative MPJPE and AUC, Procrustes MPJPE and AUC on
/// valid frames (pooled over all sequences, as the official evaluator pools samples), and AE per sequence.
/// </summary>
public static class HandPoseEvaluation
{
    public static MetricSummary Evaluate(IReadOnlyList<EvaluationSequence> sequences)
    {
        if (sequences.Count == 0)
        {
            throw new ArgumentException("No sequences to evaluate.", nameof(sequences));
        }

        int joints = sequences[0].GtMm.Joints;
        var gtFrames = new List<double>();
        var predFrames = new List<double>();
        int count = 0;
        foreach (EvaluationSequence s in sequences)
        {
            KeypointErrors.CheckSameShape(s.GtMm, s.PredMm);
            if (s.GtMm.Joints != joints)
            {
                throw new ArgumentException($"Sequence {s.Name} has {s.GtMm.Joints} joints, expected {joints}.");
            }

            for (int f = 0; f < s.GtMm.Frames; f++)
            {
                if (s.Valid is null || s.Valid[f])
                {
                    gtFrames.AddRange(s.GtMm.Frame(f).ToArray());
                    predFrames.AddRange(s.PredMm.Frame(f).ToArray());
                    count++;
                }
            }
        }

        var gt = new Keypoints([.. gtFrames], count, joints);
        var pred = new Keypoints([.. predFrames], count, joints);
        double[,] rootRelative = KeypointErrors.Distances(gt, pred, Alignment.RootRelative);
        double[,] procrustes = KeypointErrors.Distances(gt, pred, Alignment.Procrustes);
        double ae = AccelerationError.Compute(sequences.Select(s => (s.GtMm, s.PredMm, s.Valid)));
        return new MetricSummary(
            count,
            Mpjpe.Compute(rootRelative),
            Mpjpe.Compute(procrustes),
            PckAuc.Compute(rootRelative),
            PckAuc.Compute(procrustes),
            ae,
            Mpjpe.PerJoint(rootRelative),
            Mpjpe.PerFrame(rootRelative));
    }
}
