using Akka.Actor;
using Akka.Configuration;
using MsMano.Cluster.Bootstrap;
using MsMano.Cluster.Management;
using MsMano.Cluster.Options;

namespace MsMano.Cluster.Local;

/// <summary>
/// N real cluster nodes in one process over loopback TCP (the embedded default and the tests). Node 0 founds the
/// cluster; the others seed from it. Disposing leaves gracefully, last node first.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly List<ActorSystem> _nodes;

    private LocalCluster(List<ActorSystem> nodes)
    {
        _nodes = nodes;
    }

    public IReadOnlyList<ActorSystem> Nodes => _nodes;

    /// <summary>
    /// Starts one node per entry of <paramref name="nodes"/> (each from <see cref="ClusterNodeOptions.Local"/> or
    /// tweaked copies of it; seeds are filled in here) and waits until all are Up.
    /// </summary>
    public static async Task<LocalCluster> StartAsync(IReadOnlyList<ClusterNodeOptions> nodes, TimeSpan timeout, Config? overrides = null)
    {
        if (nodes.Count == 0)
        {
            throw new ArgumentException("nodes must name at least one node", nameof(nodes));
        }
        var systems = new List<ActorSystem>(nodes.Count);
        try
        {
            ActorSystem founder = ClusterNode.Start(nodes[0] with { Seeds = [] }, overrides);
            systems.Add(founder);
            string seed = Akka.Cluster.Cluster.Get(founder).SelfAddress.ToString();
            for (int i = 1; i < nodes.Count; i++)
            {
                systems.Add(ClusterNode.Start(nodes[i] with { Seeds = [seed] }, overrides));
            }
            await Task.WhenAll(systems.Select(s => ClusterNode.WhenUpAsync(s, timeout))).ConfigureAwait(false);
            return new LocalCluster(systems);
        }
        catch
        {
            await TerminateAllAsync(systems).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Like <see cref="StartAsync(IReadOnlyList{ClusterNodeOptions}, TimeSpan, Config?)"/>, but no node is given a seed:
    /// each gets a management port on loopback and Cluster Bootstrap with config discovery (every node's contact
    /// point listed) forms the cluster, as it does between pods.
    /// </summary>
    public static async Task<LocalCluster> StartWithBootstrapAsync(IReadOnlyList<ClusterNodeOptions> nodes, TimeSpan timeout, Config? overrides = null)
    {
        if (nodes.Count == 0)
        {
            throw new ArgumentException("nodes must name at least one node", nameof(nodes));
        }
        IReadOnlyList<ClusterNodeOptions> bootstrapped = ConfigDiscovery.ForLocalNodes(nodes);
        var systems = new List<ActorSystem>(nodes.Count);
        try
        {
            foreach (ClusterNodeOptions node in bootstrapped)
            {
                systems.Add(ClusterNode.Start(node, overrides));
            }
            await Task.WhenAll(systems.Select(s => ClusterNode.WhenUpAsync(s, timeout))).ConfigureAwait(false);
            return new LocalCluster(systems);
        }
        catch
        {
            await TerminateAllAsync(systems).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Convenience: one local node per role list, e.g. ("learner"), ("sim"), ("sim").</summary>
    public static Task<LocalCluster> StartAsync(TimeSpan timeout, params string[][] rolesPerNode)
    {
        return StartAsync(rolesPerNode.Select(r => ClusterNodeOptions.Local(r)).ToList(), timeout);
    }

    public async ValueTask DisposeAsync()
    {
        await TerminateAllAsync(_nodes).ConfigureAwait(false);
    }

    private static async Task TerminateAllAsync(List<ActorSystem> systems)
    {
        for (int i = systems.Count - 1; i >= 0; i--)
        {
            // Terminate runs coordinated shutdown: a graceful leave, bounded by the phase timeouts.
            await systems[i].Terminate().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }
    }
}
