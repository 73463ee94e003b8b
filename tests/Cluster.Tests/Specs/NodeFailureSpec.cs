using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using MsMano.Cluster.Bootstrap;
using MsMano.Cluster.Local;
using MsMano.Cluster.Options;
using MsMano.Cluster.Readiness;
using MsMano.Contracts.Rollouts;
using Xunit.Abstractions;
using static Akka.Cluster.ClusterEvent;

namespace MsMano.Cluster.Tests.Specs;

public sealed class NodeFailureSpec : Akka.TestKit.Xunit2.TestKit
{
    // Membership specs turn serialize-messages off: it would also push Akka's own local cluster events (e.g.
    // ReachabilityChanged) through the JSON fallback, which cannot round-trip them. Contracts are covered elsewhere.
    private static readonly Config s_membership = ConfigurationFactory.ParseString("akka.actor.serialize-messages = off")
        .WithFallback(TestNodes.Overrides);

    // Fast failure detection and a short stable-after so a crash is resolved in seconds, not the production ~25 s.
    private static readonly Config s_fastDowning = ConfigurationFactory.ParseString("""
        akka.cluster.failure-detector.heartbeat-interval = 300ms
        akka.cluster.failure-detector.acceptable-heartbeat-pause = 2s
        akka.cluster.unreachable-nodes-reaper-interval = 250ms
        """).WithFallback(s_membership);

    public NodeFailureSpec(ITestOutputHelper output)
        : base("akka.loglevel = INFO", output)
    {
    }

    [Fact]
    public async Task A_crashed_sim_is_downed_by_the_split_brain_resolver_and_the_rest_keep_working()
    {
        ClusterNodeOptions Node(string role) => ClusterNodeOptions.Local(role) with { StableAfter = TimeSpan.FromSeconds(2) };
        await using LocalCluster cluster = await LocalCluster.StartAsync(
            [Node(ClusterRoles.Learner), Node(ClusterRoles.Sim)], TestNodes.FormationTimeout, s_fastDowning);
        ActorSystem learner = cluster.Nodes[0], survivor = cluster.Nodes[1];
        // Terminating this node skips coordinated shutdown, so it does not leave: it vanishes like a killed process.
        ActorSystem victim = ClusterNode.Start(
            Node(ClusterRoles.Sim) with { Seeds = [Akka.Cluster.Cluster.Get(learner).SelfAddress.ToString()] },
            ConfigurationFactory.ParseString("akka.coordinated-shutdown.run-by-actor-system-terminate = off").WithFallback(s_fastDowning));
        await ClusterNode.WhenUpAsync(victim, TestNodes.FormationTimeout);
        Address victimAddress = Akka.Cluster.Cluster.Get(victim).SelfAddress;
        await AwaitAssertAsync(
            () => Assert.Equal(3, Akka.Cluster.Cluster.Get(learner).State.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up)),
            TimeSpan.FromSeconds(10));

        await victim.Terminate();

        await AwaitAssertAsync(
            () =>
            {
                CurrentClusterState state = Akka.Cluster.Cluster.Get(learner).State;
                Assert.DoesNotContain(state.Members, m => m.Address.Equals(victimAddress));
                Assert.Empty(state.Unreachable);
                Assert.Equal(2, state.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up));
            },
            TimeSpan.FromSeconds(30),
            TimeSpan.FromMilliseconds(250));
        Assert.False(learner.WhenTerminated.IsCompleted);
        Assert.False(survivor.WhenTerminated.IsCompleted);

        TestProbe probe = CreateTestProbe(learner);
        IActorRef remote = await TestNodes.RemoteRefAsync(survivor, learner, probe);
        RolloutChunk chunk = SampleRollouts.Create(8, 2, 192, 31, seed: 3, nodeId: "sim-1");
        remote.Tell(chunk);
        Assert.Equal(chunk.Observations, (await probe.ExpectMsgAsync<RolloutChunk>(TimeSpan.FromSeconds(10))).Observations);
    }

    [Fact]
    public async Task A_node_run_by_the_runner_becomes_ready_then_leaves_gracefully_when_asked_and_exits_zero()
    {
        await using LocalCluster cluster = await LocalCluster.StartAsync(
            [ClusterNodeOptions.Local(ClusterRoles.Learner)], TestNodes.FormationTimeout, s_membership);
        ActorSystem learner = cluster.Nodes[0];
        string readyFile = Path.Combine(Path.GetTempPath(), $"msmano-ready-{Guid.NewGuid():N}");
        File.WriteAllText(readyFile, "left over from a previous incarnation");
        ClusterNodeOptions options = ClusterNodeOptions.Local(ClusterRoles.Sim) with
        {
            Seeds = [Akka.Cluster.Cluster.Get(learner).SelfAddress.ToString()],
            ReadinessFile = readyFile,
            ShutdownTimeout = TimeSpan.FromSeconds(20),
        };
        TestProbe events = CreateTestProbe(learner);
        Akka.Cluster.Cluster.Get(learner).Subscribe(events.Ref, InitialStateAsEvents, typeof(IMemberEvent));
        using var stop = new CancellationTokenSource();
        ActorSystem? node = null;

        Task<int> run = ClusterNodeRunner.RunAsync(options, system => node = system, stop.Token);

        // The stale file is deleted by the node at start, possibly between an Exists and a Read: read tolerantly.
        await AwaitConditionAsync(() => Task.FromResult(ReadIfPresent(readyFile).StartsWith("akka.tcp://")), TimeSpan.FromSeconds(20));
        Assert.NotNull(node);
        Address nodeAddress = Akka.Cluster.Cluster.Get(node!).SelfAddress;
        stop.Cancel();

        Assert.Equal(ClusterNodeRunner.ExitOk, await run.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(node!.WhenTerminated.IsCompleted);
        Assert.False(File.Exists(readyFile));
        // Graceful: the learner saw the node leave (Left or Exited), not merely vanish.
        await events.FishForMessageAsync(
            m => m is MemberLeft l && l.Member.Address.Equals(nodeAddress) || m is MemberExited x && x.Member.Address.Equals(nodeAddress),
            TimeSpan.FromSeconds(10));
        await events.FishForMessageAsync(m => m is MemberRemoved r && r.Member.Address.Equals(nodeAddress), TimeSpan.FromSeconds(10));
    }

    private static string ReadIfPresent(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (FileNotFoundException)
        {
            return "";
        }
    }

    [Fact]
    public void Exit_codes_separate_a_requested_shutdown_from_removal_by_the_cluster()
    {
        Assert.Equal(ClusterNodeRunner.ExitOk, ClusterNodeRunner.ExitCodeFor(CoordinatedShutdown.ClrExitReason.Instance));
        Assert.Equal(ClusterNodeRunner.ExitRemovedFromCluster, ClusterNodeRunner.ExitCodeFor(CoordinatedShutdown.ClusterDowningReason.Instance));
        Assert.Equal(ClusterNodeRunner.ExitOk, ClusterNodeRunner.ExitCodeFor(null));
    }

    [Fact]
    public void A_blank_readiness_path_is_refused_by_name()
    {
        ArgumentException ex = Assert.Throws<ArgumentException>(() => ReadinessFileActor.Props(" "));
        Assert.Contains("readiness file path", ex.Message);
    }
}
