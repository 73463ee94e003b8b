namespace MsMano.Learning.Checkpoints;

/// <summary>The small, human-readable part of a checkpoint: counters, learning rate and the network shape.</summary>
public sealed record CheckpointManifest(
    int FormatVersion,
    long PolicyVersion,
    long UpdateCount,
    long TotalTransitions,
    double LearningRate,
    int ObservationSize,
    int ActionSize,
    int[] Hidden,
    DateTimeOffset SavedAt)
{
    public const int CurrentFormat = 1;
}
