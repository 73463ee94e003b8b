using Akka.Actor;
using Akka.Configuration;
using MsMano.Cluster.Hocon;
using MsMano.Cluster.Management;
using MsMano.Cluster.Options;
using MsMano.Cluster.Tls;

namespace MsMano.Cluster.Bootstrap;

/// <summary>Starts one cluster node (an ActorSystem with remoting and clustering) from options.</summary>
public static class ClusterNode
{
    /// <summary>
    /// Creates the ActorSystem and starts the management endpoint when enabled. With a discovery formation Cluster
    /// Bootstrap finds the other nodes and joins or founds the cluster; with seeds it joins them (Akka does this on
    /// start); without seeds it joins itself, founding a new cluster that in-process peers can then join
    /// (see <see cref="Local.LocalCluster"/>).
    /// </summary>
    public static ActorSystem Start(ClusterNodeOptions options, Config? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Config config = ClusterHocon.Build(options, overrides);
        ActorSystem system;
        if (options.Tls is { } tls)
        {
            config = ClusterTls.Hocon().WithFallback(config);
            system = ActorSystem.Create(options.SystemName, BootstrapSetup.Create().WithConfig(config).And(tls.Setup()));
        }
        else
        {
            if (options.Hostname is not ("127.0.0.1" or "localhost" or "::1"))
            {
                Serilog.Log.Warning(
                    "Remoting on {Hostname}:{Port} without TLS: any process that reaches the port can join (set MSMANO__CLUSTER__TLSCERTIFICATE)",
                    options.Hostname, options.Port);
            }
            system = ActorSystem.Create(options.SystemName, config);
        }
        try
        {
            ManagementHost.Start(system, options);
        }
        catch
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
            throw;
        }
        if (options.Seeds.Count == 0 && options.Management.Formation == ClusterFormation.Seeds)
        {
            var cluster = Akka.Cluster.Cluster.Get(system);
            cluster.Join(cluster.SelfAddress);
        }
        return system;
    }

    /// <summary>Completes when this node's member is Up, or faults with a clear message after <paramref name="timeout"/>.</summary>
    public static async Task WhenUpAsync(ActorSystem system, TimeSpan timeout)
    {
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cluster = Akka.Cluster.Cluster.Get(system);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        try
        {
            await up.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(
                $"Node {cluster.SelfAddress} (roles {string.Join(",", cluster.SelfRoles)}) was not Up within {timeout}; " +
                "check that the seed nodes are reachable and the system names match.");
        }
    }
}
