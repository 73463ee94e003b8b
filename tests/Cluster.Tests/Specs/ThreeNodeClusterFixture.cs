using Akka.Actor;
using MsMano.Cluster.Local;
using MsMano.Cluster.Options;

namespace MsMano.Cluster.Tests.Specs;

/// <summary>One learner and two simulation nodes on 127.0.0.1 (free ports), shared by the specs of one class.</summary>
public sealed class ThreeNodeClusterFixture : IAsyncLifetime
{
    private LocalCluster? _cluster;

    public ActorSystem Learner => Cluster.Nodes[0];

    public ActorSystem Sim1 => Cluster.Nodes[1];

    public ActorSystem Sim2 => Cluster.Nodes[2];

    public LocalCluster Cluster => _cluster ?? throw new InvalidOperationException("fixture not started");

    public async Task InitializeAsync()
    {
        _cluster = await LocalCluster.StartAsync(
            [ClusterNodeOptions.Local(ClusterRoles.Learner), ClusterNodeOptions.Local(ClusterRoles.Sim), ClusterNodeOptions.Local(ClusterRoles.Sim)],
            TestNodes.FormationTimeout,
            TestNodes.Overrides);
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
