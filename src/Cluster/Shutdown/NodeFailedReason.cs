using Akka.Actor;

namespace MsMano.Cluster.Shutdown;

/// <summary>
/// Coordinated-shutdown reason for a node whose own work cannot go on (for example the learner cannot load its
/// checkpoint): the node leaves the cluster gracefully and the process exits with
/// <see cref="Bootstrap.ClusterNodeRunner.ExitNodeFailed"/> so an orchestrator sees the failure.
/// </summary>
public sealed class NodeFailedReason : CoordinatedShutdown.Reason
{
    public static readonly NodeFailedReason Instance = new();

    private NodeFailedReason()
    {
    }

    /// <summary>Used only when Akka itself exits the CLR (exit-clr is off here; the runner maps the reason).</summary>
    public override int ExitCode => Bootstrap.ClusterNodeRunner.ExitNodeFailed;
}
