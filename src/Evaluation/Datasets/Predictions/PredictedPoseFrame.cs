namespace MsMano.Evaluation.Datasets.Predictions;

/// <summary>Which axes the joint rotations of predicted MANO poses are written in (the file's "pose_frame").</summary>
public enum PredictedPoseFrame
{
    /// <summary>
    /// The hand model's frame, the project's convention (what <c>PoseSequenceJson</c>, <c>ReferenceMotion.ManoPose</c>
    /// and the synthetic benchmark write): BioPR takes these poses as they are.
    /// </summary>
    Hand,

    /// <summary>
    /// Axis-angles of the real MANO model (full 45 rotations, not PCA, flat-hand mean, i.e. what manopth's full pose
    /// holds): turned into the hand frame by <c>ManoPoseConverter</c>, which needs the user's MANO file.
    /// </summary>
    Mano,
}
