using MsMano.Evaluation.Benchmark;

namespace MsMano.Cluster.Evaluation;

/// <summary>What <see cref="EvaluationActor"/> evaluates and when.</summary>
public sealed record EvaluationActorSettings
{
    /// <summary>The evaluation run (dataset, report folder, benchmark settings); a request's MaxSequences limits its test split.</summary>
    public EvaluationJobOptions Job { get; init; } = new();

    /// <summary>Evaluate once per policy version when a TrainingStatus reports convergence.</summary>
    public bool EvaluateOnConvergence { get; init; } = true;

    /// <summary>Each report goes to its own subfolder "v&lt;policy version&gt;" of the job's output folder.</summary>
    public bool FolderPerVersion { get; init; } = true;

    /// <summary>Evaluation requests waiting beyond the running one; more are refused with a Status.Failure (a flood cannot grow memory).</summary>
    public int MaxPendingRequests { get; init; } = 16;

    /// <summary>Roles a member must carry (one of) for its RequestEvaluation to be accepted; non-members are always refused.</summary>
    public IReadOnlyList<string> RequestRoles { get; init; } = MsMano.Cluster.Options.ClusterRoles.All;

    /// <summary>Largest serialized policy accepted from PolicyWeightsChunks (bytes).</summary>
    public int MaxPolicyBytes { get; init; } = 64 * 1024 * 1024;
}
