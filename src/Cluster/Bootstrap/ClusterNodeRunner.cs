using Akka.Actor;
using MsMano.Cluster.Logging;
using MsMano.Cluster.Options;
using MsMano.Cluster.Readiness;
using MsMano.Cluster.Shutdown;
using Serilog;

namespace MsMano.Cluster.Bootstrap;

/// <summary>
/// The life of one node process: start the ActorSystem, the readiness file and the signal wiring, let the caller
/// start its actors, then wait until the system terminates (SIGTERM → graceful leave, or downed by the split-brain
/// resolver). Returns the process exit code: 0 after a requested shutdown, 1 when the cluster removed this node
/// (so an orchestrator sees the failure and restarts it), 2 when a requested leave overran
/// <see cref="ClusterNodeOptions.ShutdownTimeout"/> (the process exits anyway: no orphans), 3 when the node's own
/// work failed (<see cref="NodeFailedReason"/>).
/// </summary>
public static class ClusterNodeRunner
{
    public const int ExitOk = 0;
    public const int ExitRemovedFromCluster = 1;
    public const int ExitShutdownTimedOut = 2;
    public const int ExitNodeFailed = 3;

    public static async Task<int> RunAsync(ClusterNodeOptions options, Action<ActorSystem> startActors, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(startActors);
        options.Validate();
        ActorSystem system = ClusterNode.Start(options);
        Address self = Akka.Cluster.Cluster.Get(system).SelfAddress;
        LogProperties.SetProcessNode($"{self.Host}:{self.Port}", string.Join(",", options.Roles));
        using var signals = ShutdownSignals.Register(system);
        using CancellationTokenRegistration onCancel = cancellation.Register(signals.Request);

        if (!string.IsNullOrWhiteSpace(options.ReadinessFile))
        {
            system.ActorOf(ReadinessFileActor.Props(options.ReadinessFile), "readiness-file");
        }
        startActors(system);
        Log.Information("Node {Address} started with roles {Roles}", Akka.Cluster.Cluster.Get(system).SelfAddress, options.Roles);

        await Task.WhenAny(system.WhenTerminated, signals.Requested).ConfigureAwait(false);
        if (!system.WhenTerminated.IsCompleted)
        {
            Log.Information("Shutdown requested; leaving the cluster (at most {Timeout})", options.ShutdownTimeout);
            await Task.WhenAny(system.WhenTerminated, Task.Delay(options.ShutdownTimeout, CancellationToken.None)).ConfigureAwait(false);
            if (!system.WhenTerminated.IsCompleted)
            {
                Log.Error("Graceful leave did not finish within {Timeout}; exiting anyway", options.ShutdownTimeout);
                return ExitShutdownTimedOut;
            }
        }
        return ExitCodeFor(CoordinatedShutdown.Get(system).ShutdownReason);
    }

    internal static int ExitCodeFor(CoordinatedShutdown.Reason? reason)
    {
        return reason switch
        {
            CoordinatedShutdown.ClusterDowningReason or CoordinatedShutdown.ClusterLeavingReason => ExitRemovedFromCluster,
            NodeFailedReason => ExitNodeFailed,
            _ => ExitOk,
        };
    }
}
