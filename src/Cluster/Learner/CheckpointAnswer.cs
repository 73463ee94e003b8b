namespace MsMano.Cluster.Learner;

/// <summary>What asking the learner singleton for a checkpoint came to (<see cref="LearnerHost.AskForCheckpointAsync"/>).</summary>
public enum CheckpointAnswer
{
    /// <summary>The learner saved and answered.</summary>
    Saved,

    /// <summary>The learner stopped before answering; it checkpoints on stop.</summary>
    LearnerStoppedFirst,

    /// <summary>No learner runs on this node (a standby node, or one already downed).</summary>
    NoLearner,

    /// <summary>The learner did not answer in time; its last checkpoint stands.</summary>
    NoAnswer,
}
