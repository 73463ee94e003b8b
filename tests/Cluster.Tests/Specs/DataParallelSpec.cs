using Akka.Actor;
using Akka.Configuration;
using MsMano.Cluster.Bootstrap;
using MsMano.Cluster.Learner;
using MsMano.Cluster.Learner.DataParallel;
using MsMano.Cluster.Local;
using MsMano.Cluster.Options;
using MsMano.Cluster.Simulation;
using MsMano.Cluster.Singleton;
using MsMano.Environments.Synthetic;
using MsMano.Learning.Ppo;
using Xunit.Abstractions;

namespace MsMano.Cluster.Tests.Specs;

/// <summary>
/// Data-parallel learning on real ActorSystems over loopback remoting: the copies stay identical, a node killed in
/// the middle of a reduction never stalls the group, a node added mid-run joins with the group's weights, and a
/// restarted coordinator resumes from its checkpoint.
/// </summary>
[Collection("DataParallel")]
public sealed class DataParallelSpec : Akka.TestKit.Xunit2.TestKit
{
    private static readonly Config s_fast = ConfigurationFactory.ParseString("""
        akka.actor.serialize-messages = off
        akka.remote.log-remote-lifecycle-events = off
        akka.cluster.failure-detector.heartbeat-interval = 300ms
        akka.cluster.failure-detector.acceptable-heartbeat-pause = 2s
        akka.cluster.unreachable-nodes-reaper-interval = 250ms
        akka.coordinated-shutdown.run-by-actor-system-terminate = off
        """);

    // Large enough that an update takes a good share of each round, so "mid-reduction" is easy to hit.
    private static readonly PpoConfig s_ppo = new()
    {
        ObservationSize = 8,
        ActionSize = 2,
        Hidden = [128, 128],
        MinibatchSize = 256,
        LearningRate = 3e-3,
        Device = "cpu",
        Seed = 3,
    };

    private static readonly DataParallelSettings s_dp = new()
    {
        GatherPeriod = TimeSpan.FromSeconds(1),
        ReduceTimeout = TimeSpan.FromSeconds(5),
        HelloInterval = TimeSpan.FromMilliseconds(300),
    };

    public DataParallelSpec(ITestOutputHelper output)
        : base("akka.loglevel = INFO", output)
    {
    }

    [Fact]
    public async Task Copies_stay_identical_and_a_node_killed_mid_reduction_never_stalls_the_group()
    {
        await using LocalCluster cluster = await LocalCluster.StartAsync(
            [Node(ClusterRoles.Learner), Node(ClusterRoles.Sim), Node(ClusterRoles.Sim)], TestNodes.FormationTimeout, s_fast);
        LearnerHost.Start(cluster.Nodes[0], Learner(null), s_ppo, LearningMode.DataParallel, s_dp);
        StartSim(cluster.Nodes[1], "sim-1");
        StartSim(cluster.Nodes[2], "sim-2");
        ActorSystem victim = ClusterNode.Start(Node(ClusterRoles.Sim) with { Seeds = [Seed(cluster)] }, s_fast);
        await ClusterNode.WhenUpAsync(victim, TestNodes.FormationTimeout);
        StartSim(victim, "sim-3");

        await WaitForVersionAsync(cluster.Nodes[0], 3, TimeSpan.FromSeconds(90));
        // Three trainers trained together and hold bit-identical copies.
        await AwaitAssertAsync(async () =>
        {
            TrainerActor.Stats[] stats = await Task.WhenAll(TrainerStatsAsync(cluster.Nodes[1]), TrainerStatsAsync(cluster.Nodes[2]), TrainerStatsAsync(victim));
            Assert.All(stats, s => Assert.True(s.Updates >= 1));
            Assert.Single(stats.Select(s => (s.PolicyVersion, s.StateHash)).Distinct());
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(20));

        // Kill the victim (no leave: it vanishes like a killed process) while its update is in the ring.
        await AwaitAssertAsync(async () => Assert.True((await TrainerStatsAsync(victim)).Updating), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(5));
        long atKill = (await ProgressAsync(cluster.Nodes[0])).Status.PolicyVersion;
        await victim.Terminate();

        // Bounded: the survivors finish the round without it and go on training.
        await WaitForVersionAsync(cluster.Nodes[0], atKill + 3, TimeSpan.FromSeconds(45));
        await AwaitAssertAsync(async () =>
        {
            TrainerActor.Stats[] survivors = await Task.WhenAll(TrainerStatsAsync(cluster.Nodes[1]), TrainerStatsAsync(cluster.Nodes[2]));
            Assert.Single(survivors.Select(s => (s.PolicyVersion, s.StateHash)).Distinct());
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(20));
        Assert.Equal(2, (await ProgressAsync(cluster.Nodes[0])).Nodes);
    }

    [Fact]
    public async Task A_node_added_mid_run_joins_the_next_updates_with_the_group_weights()
    {
        await using LocalCluster cluster = await LocalCluster.StartAsync(
            [Node(ClusterRoles.Learner), Node(ClusterRoles.Sim)], TestNodes.FormationTimeout, s_fast);
        LearnerHost.Start(cluster.Nodes[0], Learner(null), s_ppo, LearningMode.DataParallel, s_dp);
        StartSim(cluster.Nodes[1], "sim-1");
        await WaitForVersionAsync(cluster.Nodes[0], 3, TimeSpan.FromSeconds(90));

        ActorSystem late = ClusterNode.Start(Node(ClusterRoles.Sim) with { Seeds = [Seed(cluster)] }, s_fast);
        try
        {
            await ClusterNode.WhenUpAsync(late, TestNodes.FormationTimeout);
            StartSim(late, "sim-late");
            await AwaitAssertAsync(async () =>
            {
                TrainerActor.Stats joined = await TrainerStatsAsync(late);
                TrainerActor.Stats first = await TrainerStatsAsync(cluster.Nodes[1]);
                Assert.True(joined.StatesInstalled >= 1, "the late node received the group's state");
                Assert.True(joined.Updates >= 2, "the late node took part in updates");
                Assert.Equal((first.PolicyVersion, first.StateHash), (joined.PolicyVersion, joined.StateHash));
            }, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(20));
            Assert.Equal(2, (await ProgressAsync(cluster.Nodes[0])).Nodes);
        }
        finally
        {
            await late.Terminate();
        }
    }

    [Fact]
    public async Task A_restarted_coordinator_resumes_from_its_checkpoint()
    {
        string root = Path.Combine(Path.GetTempPath(), "msmano-dp-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (LocalCluster first = await LocalCluster.StartAsync(
                [Node(ClusterRoles.Learner), Node(ClusterRoles.Sim)], TestNodes.FormationTimeout, s_fast))
            {
                LearnerHost.Start(first.Nodes[0], Learner(root), s_ppo, LearningMode.DataParallel, s_dp);
                StartSim(first.Nodes[1], "sim-1");
                await WaitForVersionAsync(first.Nodes[0], 4, TimeSpan.FromSeconds(90));
                // The coordinator checkpoints every 2 updates; wait until one at v4 or later is in place.
                await AwaitAssertAsync(() => Assert.True(File.Exists(Path.Combine(root, "LATEST")) && CheckpointVersion(root) >= 4), TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(250));
            }
            long checkpointVersion = CheckpointVersion(root);
            Assert.True(checkpointVersion >= 4, $"checkpoint v{checkpointVersion}");

            // A new coordinator and a fresh trainer (at v0): the group goes on from the checkpoint, not from scratch.
            await using LocalCluster second = await LocalCluster.StartAsync(
                [Node(ClusterRoles.Learner), Node(ClusterRoles.Sim)], TestNodes.FormationTimeout, s_fast);
            LearnerHost.Start(second.Nodes[0], Learner(root), s_ppo, LearningMode.DataParallel, s_dp);
            StartSim(second.Nodes[1], "sim-1");
            await WaitForVersionAsync(second.Nodes[0], checkpointVersion + 2, TimeSpan.FromSeconds(90));
            TrainerActor.Stats trainer = await TrainerStatsAsync(second.Nodes[1]);
            Assert.True(trainer.StatesInstalled >= 1);
            Assert.True(trainer.PolicyVersion >= checkpointVersion + 1);
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    [Fact]
    public async Task A_checkpoint_asked_for_mid_round_lets_the_round_finish_saves_it_and_starts_no_other()
    {
        string root = Path.Combine(Path.GetTempPath(), "msmano-dp-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using LocalCluster cluster = await LocalCluster.StartAsync(
                [Node(ClusterRoles.Learner), Node(ClusterRoles.Sim)], TestNodes.FormationTimeout, s_fast);
            LearnerHost.Start(cluster.Nodes[0], Learner(root) with { CheckpointEvery = 1000 }, s_ppo, LearningMode.DataParallel, s_dp);
            StartSim(cluster.Nodes[1], "sim-1");
            await WaitForVersionAsync(cluster.Nodes[0], 2, TimeSpan.FromSeconds(90));

            // The end of a run (embedded asks this before its trainers leave): ask while an update is in flight.
            await AwaitAssertAsync(async () => Assert.True((await TrainerStatsAsync(cluster.Nodes[1])).Updating), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(5));
            long asked = (await ProgressAsync(cluster.Nodes[0])).Status.PolicyVersion;
            await cluster.Nodes[0].ActorSelection(LearnerSingleton.SingletonPath).Ask<Akka.Done>(LearnerProtocol.CheckpointNow.Instance, TimeSpan.FromSeconds(30));

            long finished = (await ProgressAsync(cluster.Nodes[0])).Status.PolicyVersion;
            // The round in flight when we read the version, or the next one if it ended before CheckpointNow arrived (a loaded host).
            Assert.InRange(finished, asked + 1, asked + 2);
            Assert.Equal(finished, CheckpointVersion(root));
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.Equal(finished, (await ProgressAsync(cluster.Nodes[0])).Status.PolicyVersion);
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    private static long CheckpointVersion(string root)
    {
        string saved = File.ReadAllText(Path.Combine(root, "LATEST")).Trim();
        return long.Parse(saved["ckpt-".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static ClusterNodeOptions Node(string role) => ClusterNodeOptions.Local(role) with { StableAfter = TimeSpan.FromSeconds(2) };

    private static string Seed(LocalCluster cluster) => Akka.Cluster.Cluster.Get(cluster.Nodes[0]).SelfAddress.ToString();

    private static LearnerSettings Learner(string? checkpoints) => new()
    {
        BatchSize = 2048,
        CheckpointDirectory = checkpoints,
        CheckpointEvery = 2,
        PlateauWindow = 0,
        TorchThreads = 1,
    };

    private static void StartSim(ActorSystem system, string nodeId)
    {
        IActorRef trainer = DataParallelHost.StartTrainer(system, nodeId, s_ppo, Learner(null), s_dp);
        var settings = new SimulationNodeSettings { NodeId = nodeId, Agents = 64, StepsPerCollection = 4 };
        SimulationNodeHost.Start(system, settings, id => new TargetTrackingSource(64, s_ppo.ObservationSize, s_ppo.ActionSize, 17 + id, [.. s_ppo.Hidden]), trainer);
    }

    private static Task<TrainerActor.Stats> TrainerStatsAsync(ActorSystem system)
    {
        return system.ActorSelection("/user/" + DataParallelHost.TrainerName).Ask<TrainerActor.Stats>(TrainerActor.GetStats.Instance, TimeSpan.FromSeconds(5));
    }

    private static Task<LearnerProgress> ProgressAsync(ActorSystem system)
    {
        return system.ActorSelection(LearnerSingleton.SingletonPath).Ask<LearnerProgress>(LearnerProtocol.GetProgress.Instance, TimeSpan.FromSeconds(5));
    }

    private async Task WaitForVersionAsync(ActorSystem learner, long version, TimeSpan within)
    {
        await AwaitAssertAsync(async () => Assert.True((await ProgressAsync(learner)).Status.PolicyVersion >= version), within, TimeSpan.FromMilliseconds(250));
    }
}
