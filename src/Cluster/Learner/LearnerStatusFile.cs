using System.Text.Json;

namespace MsMano.Cluster.Learner;

/// <summary>
/// The learner's latest progress as a small JSON file, rewritten atomically after every update and progress tick:
/// how <c>cluster-bench</c> (or any script) reads a learner process's counters without joining the cluster.
/// </summary>
public sealed record LearnerStatusFile(
    DateTimeOffset Time,
    long PolicyVersion,
    long Updates,
    long TotalTransitions,
    double MeanReward,
    int Nodes,
    long ReceivedChunks,
    long ReceivedTransitions,
    long AcceptedTransitions,
    long StaleChunks,
    long RejectedChunks,
    long RolloutBytes,
    double UpdateSeconds,
    double WallSeconds,
    double ClusterAgentStepsPerSecond,
    bool Finished,
    double LastUpdateWallSeconds = 0)
{
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    public static LearnerStatusFile From(LearnerProgress p)
    {
        return new LearnerStatusFile(
            DateTimeOffset.UtcNow, p.Status.PolicyVersion, p.Status.Updates, p.Status.TotalTransitions, p.Status.MeanReward, p.Nodes,
            p.ReceivedChunks, p.ReceivedTransitions, p.AcceptedTransitions, p.StaleChunks, p.RejectedChunks, p.RolloutBytes,
            p.UpdateSeconds, p.WallSeconds, p.ClusterAgentStepsPerSecond, p.Finished, p.LastUpdateWallSeconds);
    }

    public void Write(string path)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temporary = full + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, s_json));
        File.Move(temporary, full, overwrite: true);
    }

    /// <summary>The file's content, or null while it does not exist yet.</summary>
    public static LearnerStatusFile? TryRead(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<LearnerStatusFile>(File.ReadAllText(path), s_json);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or JsonException)
        {
            return null;
        }
    }
}
