namespace MsMano.Learning.Checkpoints;

/// <summary>A checkpoint that is damaged (missing, truncated or altered files): skipped in favour of an older one.</summary>
public sealed class CorruptCheckpointException(string directory, string reason, Exception? inner = null)
    : IOException($"Checkpoint {directory} is damaged: {reason}", inner)
{
    public string Directory { get; } = directory;

    public string Reason { get; } = reason;
}
