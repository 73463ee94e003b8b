using Akka.Actor;
using MsMano.Contracts.Policy;
using MsMano.Evaluation.Reports;
using ClusterReport = MsMano.Contracts.Evaluation.EvaluationReport;

namespace MsMano.Cluster.Evaluation;

/// <summary>Local messages of <see cref="EvaluationActor"/> besides the wire contracts it understands.</summary>
public static class EvaluationProtocol
{
    /// <summary>Hands the actor policy weights in-process (cluster nodes send PolicyWeightsChunks instead).</summary>
    public sealed record UsePolicy(PolicySnapshot Snapshot) : INoSerializationVerificationNeeded;

    /// <summary>Asks for <see cref="EvaluationState"/>.</summary>
    public sealed record GetState : INoSerializationVerificationNeeded
    {
        public static readonly GetState Instance = new();
    }

    /// <summary>What the actor holds: the newest policy version (-1: none), whether a job runs, queued and finished jobs.</summary>
    public sealed record EvaluationState(long PolicyVersion, bool Running, int Pending, int Completed, int Failed) : INoSerializationVerificationNeeded;

    /// <summary>
    /// Published on the node's EventStream beside each <see cref="ClusterReport"/>: the same report with the files it
    /// was written to, which the wire message leaves out (hosts print where the report is).
    /// </summary>
    public sealed record ReportWritten(ClusterReport Report, ReportFiles Files) : INoSerializationVerificationNeeded;

    /// <summary>
    /// Published on the node's EventStream while a job runs (a few times a second at most): the stage, and how much of
    /// its work is done, so a host waiting for the report can show a progress bar.
    /// </summary>
    public sealed record Progress(long PolicyVersion, int StageNumber, string Stage, long Done, long Total) : INoSerializationVerificationNeeded;

    /// <summary>Published on the node's EventStream when a job fails, so a host waiting for a report stops waiting.</summary>
    public sealed record EvaluationFailed(long PolicyVersion, string Reason) : INoSerializationVerificationNeeded;
}
