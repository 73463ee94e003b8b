using System.Net;
using Akka.Actor;
using Akka.Cluster;
using MsMano.Cluster.Bootstrap;
using MsMano.Cluster.Health;
using MsMano.Cluster.Local;
using MsMano.Cluster.Management;
using MsMano.Cluster.Options;
using MsMano.Contracts.Training;

namespace MsMano.Cluster.Tests.Management;

/// <summary>
/// Real ActorSystems over loopback TCP with no seed nodes: Cluster Bootstrap over config discovery forms one cluster,
/// a restarted node rejoins it, and the management port answers health and metrics.
/// </summary>
public sealed class BootstrapAndHealthSpec
{
    private static readonly TimeSpan s_formTimeout = TimeSpan.FromSeconds(60);
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Bootstrap_forms_one_cluster_serves_health_and_metrics_and_a_restarted_node_rejoins()
    {
        IReadOnlyList<ClusterNodeOptions> nodes = ConfigDiscovery.ForLocalNodes(
        [
            ClusterNodeOptions.Local(ClusterRoles.Learner) with { Management = new ManagementOptions { TrainingStaleAfter = TimeSpan.FromSeconds(5) } },
            ClusterNodeOptions.Local(ClusterRoles.Sim),
            ClusterNodeOptions.Local(ClusterRoles.Sim),
        ]);
        Assert.All(nodes, n => Assert.Empty(n.Seeds));
        var systems = new List<ActorSystem>();
        try
        {
            systems.AddRange(nodes.Select(n => ClusterNode.Start(n)));
            await Task.WhenAll(systems.Select(s => ClusterNode.WhenUpAsync(s, s_formTimeout)));
            await AwaitAsync(() => systems.All(s => UpMembers(s) == 3), "all three nodes see one cluster of 3");

            string learner = Base(nodes[0]);
            string sim = Base(nodes[1]);
            Assert.Equal(HttpStatusCode.OK, (await s_http.GetAsync(sim + NodeHealth.LivePath)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await s_http.GetAsync(sim + NodeHealth.ReadyPath)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await s_http.GetAsync(learner + NodeHealth.LivePath)).StatusCode);

            // The learner's node is Up but no learner has reported: not ready to train.
            HttpResponseMessage notReady = await s_http.GetAsync(learner + NodeHealth.ReadyPath);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
            Assert.Contains("ready-learner", await notReady.Content.ReadAsStringAsync());

            // A learner progress report (what LearnerActor publishes every interval) makes it ready.
            systems[0].EventStream.Publish(new TrainingStatus(7, 7, 7_000, 0.5, 1_000, false));
            await AwaitAsync(async () => (await s_http.GetAsync(learner + NodeHealth.ReadyPath)).StatusCode == HttpStatusCode.OK, "learner ready after a report");

            string metrics = await s_http.GetStringAsync(learner + ManagementHttpServer.MetricsPath);
            Assert.Contains("msmano_member_up{", metrics);
            Assert.Contains("msmano_cluster_members{", metrics);
            Assert.Matches(@"msmano_policy_version\{[^}]*\} 7\b", metrics);
            Assert.Matches(@"msmano_learner_updates_total\{[^}]*\} 7\b", metrics);

            // Reports stop: after the staleness window the learner is no longer ready.
            await AwaitAsync(async () => (await s_http.GetAsync(learner + NodeHealth.ReadyPath)).StatusCode == HttpStatusCode.ServiceUnavailable, "learner unready when silent");

            // A sim restarts (same contact-point list, new incarnation): it must join the running cluster, not found one.
            ActorSystem leaving = systems[2];
            systems.RemoveAt(2);
            await leaving.Terminate().WaitAsync(TimeSpan.FromSeconds(30));
            await AwaitAsync(() => UpMembers(systems[0]) == 2, "the stopped sim has left");
            ActorSystem restarted = ClusterNode.Start(nodes[2]);
            systems.Add(restarted);
            await ClusterNode.WhenUpAsync(restarted, s_formTimeout);
            await AwaitAsync(() => systems.All(s => UpMembers(s) == 3), "the restarted sim rejoined the one cluster");
            Assert.Equal(Akka.Cluster.Cluster.Get(systems[0]).State.Leader, Akka.Cluster.Cluster.Get(restarted).State.Leader);
        }
        finally
        {
            for (int i = systems.Count - 1; i >= 0; i--)
            {
                await systems[i].Terminate().WaitAsync(TimeSpan.FromSeconds(30));
            }
        }
    }

    [Fact]
    public async Task Local_cluster_bootstraps_without_seeds()
    {
        await using LocalCluster cluster = await LocalCluster.StartWithBootstrapAsync(
            [ClusterNodeOptions.Local(ClusterRoles.Learner), ClusterNodeOptions.Local(ClusterRoles.Sim)], s_formTimeout);
        await AwaitAsync(() => cluster.Nodes.All(s => UpMembers(s) == 2), "both nodes in one cluster");
    }

    [Fact]
    public void Formation_settings_are_validated_with_the_setting_named()
    {
        var node = ClusterNodeOptions.Local(ClusterRoles.Sim);
        ClusterConfigurationException noPoints = Assert.Throws<ClusterConfigurationException>(() => (node with { Management = new ManagementOptions { Enabled = true, Formation = ClusterFormation.Config } }).Validate());
        Assert.Contains("ContactPoints", noPoints.Message);
        ClusterConfigurationException badPoint = Assert.Throws<ClusterConfigurationException>(() => (node with { Management = new ManagementOptions { Enabled = true, Formation = ClusterFormation.Config, ContactPoints = ["nohost"] } }).Validate());
        Assert.Contains("nohost", badPoint.Message);
        ClusterConfigurationException both = Assert.Throws<ClusterConfigurationException>(() => (node with
        {
            Seeds = ["akka.tcp://msmano@127.0.0.1:4053"],
            Management = new ManagementOptions { Enabled = true, Formation = ClusterFormation.Kubernetes },
        }).Validate());
        Assert.Contains("Seeds", both.Message);
    }

    private static string Base(ClusterNodeOptions node) => $"http://127.0.0.1:{node.Management.Port}";

    private static int UpMembers(ActorSystem system) =>
        Akka.Cluster.Cluster.Get(system).State.Members.Count(m => m.Status == MemberStatus.Up);

    private static Task AwaitAsync(Func<bool> condition, string what) => AwaitAsync(() => Task.FromResult(condition()), what);

    private static async Task AwaitAsync(Func<Task<bool>> condition, string what)
    {
        DateTime deadline = DateTime.UtcNow + s_formTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }
            await Task.Delay(200);
        }
        Assert.Fail($"timed out waiting until {what}");
    }
}
