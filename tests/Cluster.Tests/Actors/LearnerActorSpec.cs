using Akka.Actor;
using Akka.TestKit;
using MsMano.Cluster.Tests.Training;
using MsMano.Contracts.Policy;
using MsMano.Contracts.Rollouts;
using MsMano.Learner.Actors;
using MsMano.Learner.Host;
using MsMano.SimulationNode.Synthetic;
using MsMano.SimulationNode.Rollouts;
using Xunit.Abstractions;

namespace MsMano.Cluster.Tests.Actors;

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
        var settings = TrainingNodes.Learner() with { BatchSize = 16, MaxBufferedTransitions = 16, CreditWindow = 5 };
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
        var settings = TrainingNodes.Learner() with { BatchSize = 8 };
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
