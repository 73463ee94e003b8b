using Akka.Actor;
using Akka.Event;
using Akka.TestKit;
using MsMano.Cluster.Bootstrap;
using MsMano.Cluster.Learner;
using MsMano.Cluster.Options;
using MsMano.Cluster.Simulation;
using MsMano.Cluster.Singleton;
using MsMano.Contracts.Rollouts;
using Xunit.Abstractions;

namespace MsMano.Cluster.Tests.Training;

/// <summary>
/// The learner and simulation nodes as separate ActorSystems on 127.0.0.1, talking over real TCP remoting with the
/// contract serializer: training progresses, survives a crashed node, resumes after a learner restart, and keeps
/// malformed rollouts away from PPO.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class TrainingClusterSpec : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan s_progress = TimeSpan.FromSeconds(60);
    private readonly ITestOutputHelper _output;

    public TrainingClusterSpec(ITestOutputHelper output)
        : base("akka.loglevel = INFO", output)
    {
        _output = output;
    }

    [Fact]
    public async Task Rollouts_flow_from_two_nodes_the_weights_version_advances_and_reward_rises()
    {
        ActorSystem learner = TrainingNodes.StartLearner(TrainingNodes.Learner(), []);
        ActorSystem? sim1 = null, sim2 = null;
        try
        {
            TestProbe progress = TrainingNodes.ProgressProbe(this, learner);
            string seed = TrainingNodes.Address(learner);
            sim1 = TrainingNodes.StartSim("sim-1", [seed], seed: 1);
            sim2 = TrainingNodes.StartSim("sim-2", [seed], seed: 2);

            LearnerProgress first = await TrainingNodes.WaitForAsync(progress, p => p.Status.Updates >= 1, s_progress);
            LearnerProgress later = await TrainingNodes.WaitForAsync(progress, p => p.Status.Updates >= 40 && p.Nodes == 2, s_progress);
            _output.WriteLine($"first update: reward {first.Status.MeanReward:F3}; update {later.Status.Updates}: reward {later.Status.MeanReward:F3}, " +
                              $"{later.AcceptedTransitions} transitions accepted, {later.StaleChunks} stale chunks");

            Assert.Equal(later.Status.Updates, later.Status.PolicyVersion);
            Assert.True(later.Status.MeanReward > first.Status.MeanReward + 0.1,
                $"reward did not rise: {first.Status.MeanReward:F3} -> {later.Status.MeanReward:F3}");
            Assert.Equal(0, later.RejectedChunks);
            // Both nodes act with recent weights: the broadcast reaches every registered node.
            foreach (ActorSystem sim in new[] { sim1, sim2 })
            {
                SimulationActorStats stats = await Stats(sim);
                Assert.True(stats.PolicyVersion >= later.Status.PolicyVersion - 2, $"{stats}");
                Assert.True(stats.InFlight <= stats.Window || stats.Window == 0, $"{stats}");
                Assert.True(stats.ChunksSent > 0 && stats.ChunksAcknowledged > 0, $"{stats}");
            }
        }
        finally
        {
            await TrainingNodes.TerminateAllAsync(learner, sim1, sim2);
        }
    }

    [Fact]
    public async Task A_killed_simulation_node_does_not_stall_training()
    {
        ActorSystem learner = TrainingNodes.StartLearner(TrainingNodes.Learner(), []);
        ActorSystem? survivor = null, victim = null;
        try
        {
            TestProbe progress = TrainingNodes.ProgressProbe(this, learner);
            string seed = TrainingNodes.Address(learner);
            survivor = TrainingNodes.StartSim("sim-1", [seed], seed: 1);
            victim = TrainingNodes.StartSim("sim-2", [seed], TrainingNodes.Crashable, seed: 2);
            LearnerProgress before = await TrainingNodes.WaitForAsync(progress, p => p.Nodes == 2 && p.Status.Updates >= 2, s_progress);

            // Mid-batch: its chunks already in the learner's buffer stay usable, the rest simply never comes.
            await victim.Terminate();

            LearnerProgress after = await TrainingNodes.WaitForAsync(
                progress, p => p.Nodes == 1 && p.Status.Updates >= before.Status.Updates + 5, s_progress);
            _output.WriteLine($"updates {before.Status.Updates} -> {after.Status.Updates} after the crash; nodes {after.Nodes}");

            // The split-brain resolver downs the unreachable node; training carries on after the removal too.
            string victimAddress = TrainingNodes.Address(victim);
            await AwaitAssertAsync(
                () => Assert.DoesNotContain(Akka.Cluster.Cluster.Get(learner).State.Members, m => m.Address.ToString() == victimAddress),
                TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(250));
            LearnerProgress removed = await TrainingNodes.WaitForAsync(progress, _ => true, s_progress);
            await TrainingNodes.WaitForAsync(progress, p => p.Status.Updates >= removed.Status.Updates + 3, s_progress);
            Assert.False(learner.WhenTerminated.IsCompleted);
        }
        finally
        {
            await TrainingNodes.TerminateAllAsync(learner, survivor);
        }
    }

    [Fact]
    public async Task A_restarted_learner_resumes_from_its_checkpoint_and_the_version_continues()
    {
        string checkpoints = Path.Combine(Path.GetTempPath(), $"msmano-ckpt-{Guid.NewGuid():N}");
        ActorSystem first = TrainingNodes.StartLearner(TrainingNodes.Learner(checkpoints, checkpointEvery: 3), []);
        ActorSystem? sim = null, second = null;
        try
        {
            TestProbe progress = TrainingNodes.ProgressProbe(this, first);
            sim = TrainingNodes.StartSim("sim-1", [TrainingNodes.Address(first)]);
            await TrainingNodes.WaitForAsync(progress, p => p.Status.Updates >= 4, s_progress);

            // Graceful stop: coordinated shutdown checkpoints the latest update before the node leaves.
            await first.Terminate();
            var last = (LearnerProgress?)null;
            while (progress.HasMessages)
            {
                last = progress.ReceiveOne(TimeSpan.Zero) as LearnerProgress ?? last;
            }
            long stoppedAt = last?.Status.Updates ?? 4;
            Assert.True(File.Exists(Path.Combine(checkpoints, "LATEST")));

            second = TrainingNodes.StartLearner(TrainingNodes.Learner(checkpoints, checkpointEvery: 3), [TrainingNodes.Address(sim)]);
            TestProbe resumed = TrainingNodes.ProgressProbe(this, second);
            LearnerProgress start = await TrainingNodes.WaitForAsync(resumed, _ => true, s_progress);
            _output.WriteLine($"stopped at update {stoppedAt}; restarted learner reports update {start.Status.Updates} (version {start.Status.PolicyVersion})");
            Assert.True(start.Status.Updates >= stoppedAt, $"resumed at {start.Status.Updates}, but {stoppedAt} updates were done");
            Assert.Equal(start.Status.Updates, start.Status.PolicyVersion);

            // The simulation node rebases on the new incarnation's weights and training goes on from there.
            LearnerProgress onwards = await TrainingNodes.WaitForAsync(resumed, p => p.Status.Updates >= start.Status.Updates + 3, s_progress);
            Assert.True(onwards.Status.PolicyVersion > stoppedAt);
            Assert.True(onwards.Status.TotalTransitions > start.Status.TotalTransitions);
        }
        finally
        {
            await TrainingNodes.TerminateAllAsync(first, sim, second);
            Directory.Delete(checkpoints, recursive: true);
        }
    }

    [Fact]
    public async Task A_rollout_chunk_holding_NaN_is_rejected_with_a_log_line_acked_and_never_trained_on()
    {
        ActorSystem learner = TrainingNodes.StartLearner(TrainingNodes.Learner() with { BatchSize = 100_000, NodeTimeout = TimeSpan.FromMinutes(1) }, []);
        ActorSystem? sim = null;
        try
        {
            TestProbe progress = TrainingNodes.ProgressProbe(this, learner);
            sim = ClusterNode.Start(TrainingNodes.Node(ClusterRoles.Sim, TrainingNodes.Address(learner)), TrainingNodes.Overrides);
            await ClusterNode.WhenUpAsync(sim, TrainingNodes.Formation);
            TestProbe node = CreateTestProbe(sim);
            string path = $"{TrainingNodes.Address(learner)}{LearnerSingleton.SingletonPath}";
            IActorRef singleton = await sim.ActorSelection(path).ResolveOne(TimeSpan.FromSeconds(10));
            // The learner takes rollouts only from a registered node's address (its weights go to another probe).
            singleton.Tell(new Contracts.Nodes.NodeRegistration("sim-nan", 1, 8, TrainingNodes.ObservationSize, TrainingNodes.ActionSize), CreateTestProbe(sim).Ref);
            await TrainingNodes.WaitForAsync(progress, p => p.Nodes == 1, TimeSpan.FromSeconds(10));
            RolloutChunk poisoned = Poison(SampleRollouts.Create(4, 2, TrainingNodes.ObservationSize, TrainingNodes.ActionSize, seed: 5, nodeId: "sim-nan"));

            await CreateEventFilter(learner)
                .Custom(e => e is Warning && e.Message.ToString()!.Contains("Rejected rollout chunk") && e.Message.ToString()!.Contains("NaN"))
                .ExpectOneAsync(async () =>
                {
                    singleton.Tell(poisoned, node.Ref);
                    RolloutAck ack = await node.ExpectMsgAsync<RolloutAck>(TimeSpan.FromSeconds(10));
                    Assert.Equal(("sim-nan", poisoned.Sequence), (ack.NodeId, ack.Sequence));
                });

            LearnerProgress after = await TrainingNodes.WaitForAsync(progress, p => p.ReceivedChunks >= 1, TimeSpan.FromSeconds(10));
            Assert.Equal(1, after.RejectedChunks);
            Assert.Equal(0, after.AcceptedTransitions);

            // The node still works: a clean chunk is accepted.
            singleton.Tell(Clean(SampleRollouts.Create(4, 2, TrainingNodes.ObservationSize, TrainingNodes.ActionSize, seed: 6, nodeId: "sim-ok")), node.Ref);
            await node.ExpectMsgAsync<RolloutAck>(TimeSpan.FromSeconds(10));
            await TrainingNodes.WaitForAsync(progress, p => p.AcceptedTransitions == 8, TimeSpan.FromSeconds(10));
        }
        finally
        {
            await TrainingNodes.TerminateAllAsync(learner, sim);
        }
    }

    private static RolloutChunk Poison(RolloutChunk chunk)
    {
        byte[] rewards = (byte[])chunk.Rewards.Clone();
        BitConverter.TryWriteBytes(rewards.AsSpan(3 * sizeof(float)), float.NaN);
        // Version 0 and otherwise valid: only the NaN can cause the refusal.
        return Clean(chunk) with { Rewards = rewards };
    }

    /// <summary>Version 0 and no episode ends (sample chunks carry a few Truncated flags, which chunks cannot bootstrap).</summary>
    private static RolloutChunk Clean(RolloutChunk chunk)
    {
        return chunk with { PolicyVersion = 0, Flags = new byte[chunk.TransitionCount] };
    }

    private static async Task<SimulationActorStats> Stats(ActorSystem sim)
    {
        return await sim.ActorSelection($"/user/{SimulationNodeHost.NodeActorName}/sim-0")
            .Ask<SimulationActorStats>(SimulationProtocol.GetStats.Instance, TimeSpan.FromSeconds(5));
    }
}

[CollectionDefinition(Name)]
public sealed class TrainingCollection
{
    /// <summary>Training specs run one at a time: each runs TorchSharp and several nodes on a 2-core box.</summary>
    public const string Name = "Training";
}
