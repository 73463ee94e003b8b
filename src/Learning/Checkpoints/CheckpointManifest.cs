namespace MsMano.Learning.Checkpoints;

/// <summary>The small, human-readable part of a checkpoint: counters, learning rate, the network shape and each file's checksum.</summary>
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
    /// <summary>2 added <see cref="Files"/>; format 1 (no checksums) is still read.</summary>
    public const int CurrentFormat = 2;

    /// <summary>File name → its size and SHA-256, checked before anything is loaded (null in format 1).</summary>
    public IReadOnlyDictionary<string, CheckpointFile>? Files { get; init; }
}

/// <summary>One checkpoint file's length in bytes and lower-case hex SHA-256.</summary>
public sealed record CheckpointFile(long Length, string Sha256);
