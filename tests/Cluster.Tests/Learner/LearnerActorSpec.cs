using Akka.Actor;
using Akka.TestKit;
using MsMano.Cluster.Learner;
using MsMano.Cluster.Tests.Training;
using MsMano.Contracts.Policy;
using MsMano.Contracts.Rollouts;
using MsMano.Contracts.Training;
using MsMano.Environments.Rollouts;
using MsMano.Environments.Synthetic;
using Xunit.Abstractions;

namespace MsMano.Cluster.Tests.Learner;

/// <summary>The learner actor in a local system, with probes playing simulation actors and nodes.</summary>
[Collection(TrainingCollection.Name)]
public sealed class LearnerActorSpec : Akka.TestKit.Xunit2.TestKit
{
    public LearnerActorSpec(ITestOutputHelper output)
        : base("akka.loglevel = INFO", output)
    {
    }

    /// <summary>8 agents x 1 step of the synthetic task, acted at <paramref name="version"/>.</summary>
    private static RolloutChunk Chunk(long sequence, long version)
    {
        using var source = new TargetTrackingSource(8, TrainingNodes.ObservationSize, TrainingNodes.ActionSize, seed: (int)sequence + 1);
        var buffer = new RolloutBuffer(1, 8, TrainingNodes.ObservationSize, TrainingNodes.ActionSize);
        source.Collect(buffer);
        buffer.PolicyVersion = version;
        return buffer.ToChunks("sim-1", 0, () => sequence).Single();
    }

    [Fact]
    public async Task A_full_backlog_acks_with_a_window_of_0_and_a_drained_one_resumes_the_sender()
    {
        LearnerSettings settings = TrainingNodes.Learner() with { BatchSize = 16, MaxBufferedTransitions = 16, CreditWindow = 5 };
        IActorRef learner = Sys.ActorOf(LearnerActor.Props(settings, TrainingNodes.Ppo));
        TestProbe sim = CreateTestProbe();

        learner.Tell(Chunk(0, 0), sim.Ref);
        Assert.Equal(new RolloutAck("sim-1", 0, 0, 5), await sim.ExpectMsgAsync<RolloutAck>(TimeSpan.FromSeconds(20)));
        learner.Tell(Chunk(1, 0), sim.Ref);
        // 16 transitions buffered: pause; the batch is taken at once, which drains the backlog: resume.
        Assert.Equal(new RolloutAck("sim-1", 0, 1, 0), await sim.ExpectMsgAsync<RolloutAck>());
        Assert.Equal(new RolloutAck("sim-1", 0, 1, 5), await sim.ExpectMsgAsync<RolloutAck>());
    }

    [Fact]
    public async Task Registered_nodes_get_the_current_weights_and_every_new_version_after_an_update()
    {
        LearnerSettings settings = TrainingNodes.Learner() with { BatchSize = 8 };
        IActorRef learner = Sys.ActorOf(LearnerActor.Props(settings, TrainingNodes.Ppo));
        TestProbe node = CreateTestProbe();
        TestProbe sim = CreateTestProbe();

        learner.Tell(new Contracts.Nodes.NodeRegistration("sim-1", 1, 8, TrainingNodes.ObservationSize, TrainingNodes.ActionSize), node.Ref);
        Assert.Equal(0, (await Reassemble(node)).Version);

        learner.Tell(Chunk(0, 0), sim.Ref);
        PolicySnapshot next = await Reassemble(node);
        Assert.Equal(1, next.Version);

        // A stale chunk (lag 2 > 1 once the learner is at v2) is acked but not trained on.
        learner.Tell(Chunk(1, 1), sim.Ref);
        Assert.Equal(2, (await Reassemble(node)).Version);
        learner.Tell(Chunk(2, 0), sim.Ref);
        await sim.FishForMessageAsync<RolloutAck>(a => a.Sequence == 2);
        LearnerProgress progress = await learner.Ask<LearnerProgress>(LearnerProtocol.GetProgress.Instance);
        Assert.Equal((2L, 1L, 1), (progress.Status.Updates, progress.StaleChunks, progress.Nodes));
    }

    [Fact]
    public async Task No_update_starts_after_the_shutdown_checkpoint_so_its_work_is_never_lost()
    {
        LearnerSettings settings = TrainingNodes.Learner() with { BatchSize = 8 };
        IActorRef learner = Sys.ActorOf(LearnerActor.Props(settings, TrainingNodes.Ppo));
        TestProbe sim = CreateTestProbe();

        learner.Tell(Chunk(0, 0), sim.Ref);
        await AwaitConditionAsync(async () => (await learner.Ask<LearnerProgress>(LearnerProtocol.GetProgress.Instance)).Status.Updates == 1, TimeSpan.FromSeconds(30));

        // The node is leaving: a full batch arriving after the checkpoint must not be trained on.
        await learner.Ask<Akka.Done>(LearnerProtocol.CheckpointNow.Instance, TimeSpan.FromSeconds(30));
        learner.Tell(Chunk(1, 1), sim.Ref);
        await sim.FishForMessageAsync<RolloutAck>(a => a.Sequence == 1);
        await Task.Delay(500);
        LearnerProgress progress = await learner.Ask<LearnerProgress>(LearnerProtocol.GetProgress.Instance);
        Assert.Equal(1L, progress.Status.Updates);
    }

    [Theory]
    [InlineData(1, 0L, true)] // plateau after 2 updates (any change is below a 1e9 relative improvement)
    [InlineData(0, 2L, true)] // no plateau test; the update budget of 2 ends training
    [InlineData(0, 0L, false)] // neither: training goes on
    public async Task Training_ends_with_a_converged_status_on_a_reward_plateau_or_the_update_budget(int plateauWindow, long maxUpdates, bool converges)
    {
        LearnerSettings settings = TrainingNodes.Learner() with { BatchSize = 8, PlateauWindow = plateauWindow, PlateauMinImprovement = 1e9, MaxUpdates = maxUpdates };
        TestProbe statuses = CreateTestProbe();
        Sys.EventStream.Subscribe(statuses.Ref, typeof(TrainingStatus));
        IActorRef learner = Sys.ActorOf(LearnerActor.Props(settings, TrainingNodes.Ppo));
        TestProbe sim = CreateTestProbe();

        learner.Tell(Chunk(0, 0), sim.Ref);
        TrainingStatus first = await statuses.FishForMessageAsync<TrainingStatus>(s => s.Updates == 1, TimeSpan.FromSeconds(20));
        learner.Tell(Chunk(1, 1), sim.Ref);
        TrainingStatus second = await statuses.FishForMessageAsync<TrainingStatus>(s => s.Updates == 2, TimeSpan.FromSeconds(20));

        Assert.False(first.Converged);
        Assert.Equal((2L, converges), (second.PolicyVersion, second.Converged));
        // Once converged the policy is final: a sender is paused for good (window 0, never resumed) and nothing more is
        // trained; otherwise the 8-transition chunk fills the backlog, is taken as the next batch and the sender resumes.
        learner.Tell(Chunk(2, 2), sim.Ref);
        RolloutAck ack = await sim.FishForMessageAsync<RolloutAck>(a => a.Sequence == 2);
        Assert.Equal(0, ack.Window);
        if (converges)
        {
            await sim.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(500));
            LearnerProgress progress = await learner.Ask<LearnerProgress>(LearnerProtocol.GetProgress.Instance);
            Assert.Equal((true, 2L, true), (progress.Finished, progress.Status.Updates, progress.Status.Converged));
        }
        else
        {
            Assert.Equal(settings.CreditWindow, (await sim.ExpectMsgAsync<RolloutAck>()).Window);
            await statuses.FishForMessageAsync<TrainingStatus>(s => s.Updates == 3 && !s.Converged, TimeSpan.FromSeconds(20));
        }
    }

    [Fact]
    public async Task Every_version_s_weights_are_published_on_the_learner_node_s_event_stream()
    {
        TestProbe weights = CreateTestProbe();
        Sys.EventStream.Subscribe(weights.Ref, typeof(PolicyWeightsChunk));
        IActorRef learner = Sys.ActorOf(LearnerActor.Props(TrainingNodes.Learner() with { BatchSize = 8 }, TrainingNodes.Ppo));

        Assert.Equal(0, (await Reassemble(weights)).Version);
        learner.Tell(Chunk(0, 0), CreateTestProbe().Ref);
        Assert.Equal(1, (await Reassemble(weights)).Version);
    }

    private static async Task<PolicySnapshot> Reassemble(TestProbe node)
    {
        var reassembler = new PolicyWeightsReassembler();
        while (true)
        {
            ReassemblyResult result = reassembler.Accept(await node.ExpectMsgAsync<PolicyWeightsChunk>(TimeSpan.FromSeconds(20)));
            if (result.Status == ReassemblyStatus.Completed)
            {
                return MessagePack.MessagePackSerializer.Deserialize<PolicySnapshot>(result.Snapshot);
            }
        }
    }
}
