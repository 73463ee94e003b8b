using Akka.Actor;
using Akka.TestKit;
using MsMano.Cluster.Simulation;
using MsMano.Contracts.Rollouts;
using MsMano.Environments.Policy;
using MsMano.Environments.Synthetic;
using Xunit.Abstractions;
using static MsMano.Cluster.Simulation.SimulationProtocol;

namespace MsMano.Cluster.Tests.Simulation;

/// <summary>One simulation actor in a local system, with a probe playing the learner: flow control and policies.</summary>
public sealed class SimulationActorSpec : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan s_quiet = TimeSpan.FromMilliseconds(400);

    public SimulationActorSpec(ITestOutputHelper output)
        : base("akka.loglevel = INFO", output)
    {
    }

    private static SimulationNodeSettings Settings(int window = 3, double ackTimeoutSeconds = 30) => new()
    {
        Agents = 8,
        StepsPerCollection = 1,
        InitialWindow = window,
        AckTimeout = TimeSpan.FromSeconds(ackTimeoutSeconds),
    };

    private (IActorRef Actor, TestProbe Learner) Start(SimulationNodeSettings settings, bool learnerPresent = true, long policyVersion = 4)
    {
        TestProbe learner = CreateTestProbe();
        IActorRef actor = Sys.ActorOf(SimulationActor.Props(0, "node-a", learner.Ref, settings, id => new TargetTrackingSource(8, seed: id + 1)));
        actor.Tell(new LearnerAvailability(learnerPresent));
        actor.Tell(new ApplyPolicy(RandomPolicySnapshot.Create(8, [32, 32], 2, seed: 1, version: policyVersion), Rebase: false));
        return (actor, learner);
    }

    [Fact]
    public async Task Never_more_than_the_window_is_unacknowledged_and_acks_release_more()
    {
        (IActorRef actor, TestProbe learner) = Start(Settings(window: 3));

        var first = new List<RolloutChunk>();
        for (int i = 0; i < 3; i++)
        {
            first.Add(await learner.ExpectMsgAsync<RolloutChunk>());
        }
        await learner.ExpectNoMsgAsync(s_quiet);
        Assert.Equal([0L, 1L, 2L], first.Select(c => c.Sequence));
        Assert.All(first, c => Assert.Equal(("node-a", 0, 4L, 8), (c.NodeId, c.ActorId, c.PolicyVersion, c.AgentCount)));

        actor.Tell(new RolloutAck("node-a", 0, 0, 3), learner.Ref);
        Assert.Equal(3, (await learner.ExpectMsgAsync<RolloutChunk>()).Sequence);
        await learner.ExpectNoMsgAsync(s_quiet);

        // A window of 0 pauses the actor even though chunks were freed; a later ack with credit resumes it.
        actor.Tell(new RolloutAck("node-a", 0, 1, 0), learner.Ref);
        actor.Tell(new RolloutAck("node-a", 0, 2, 0), learner.Ref);
        await learner.ExpectNoMsgAsync(s_quiet);
        actor.Tell(new RolloutAck("node-a", 0, 2, 3), learner.Ref);
        Assert.Equal(4, (await learner.ExpectMsgAsync<RolloutChunk>()).Sequence);
        Assert.Equal(5, (await learner.ExpectMsgAsync<RolloutChunk>()).Sequence);
        await learner.ExpectNoMsgAsync(s_quiet);

        SimulationActorStats stats = await actor.Ask<SimulationActorStats>(GetStats.Instance);
        Assert.Equal((6L, 3, 3), (stats.ChunksSent, stats.InFlight, stats.Window));
    }

    [Fact]
    public async Task Older_policies_are_dropped_unless_they_come_from_a_new_learner_incarnation()
    {
        (IActorRef actor, TestProbe learner) = Start(Settings(window: 1));
        RolloutChunk chunk = await learner.ExpectMsgAsync<RolloutChunk>();
        Assert.Equal(4, chunk.PolicyVersion);

        actor.Tell(new ApplyPolicy(RandomPolicySnapshot.Create(8, [32, 32], 2, seed: 2, version: 3), Rebase: false));
        actor.Tell(new RolloutAck("node-a", 0, chunk.Sequence, 1), learner.Ref);
        chunk = await learner.ExpectMsgAsync<RolloutChunk>();
        Assert.Equal(4, chunk.PolicyVersion);
        Assert.Equal(1, (await actor.Ask<SimulationActorStats>(GetStats.Instance)).StalePoliciesDropped);

        // A restarted learner resumed from an older checkpoint: its weights win, and its credit starts afresh.
        actor.Tell(new ApplyPolicy(RandomPolicySnapshot.Create(8, [32, 32], 2, seed: 3, version: 2), Rebase: true));
        RolloutChunk rebased = await learner.FishForMessageAsync<RolloutChunk>(c => c.PolicyVersion == 2);
        Assert.True(rebased.Sequence > chunk.Sequence);
    }

    [Fact]
    public async Task Unacknowledged_chunks_expire_so_a_silent_learner_cannot_block_the_actor_forever()
    {
        (IActorRef actor, TestProbe learner) = Start(Settings(window: 2, ackTimeoutSeconds: 0.5));

        var sequences = new List<long>();
        for (int i = 0; i < 4; i++)
        {
            sequences.Add((await learner.ExpectMsgAsync<RolloutChunk>(TimeSpan.FromSeconds(5))).Sequence);
        }

        Assert.Equal([0L, 1L, 2L, 3L], sequences);
        Assert.True((await actor.Ask<SimulationActorStats>(GetStats.Instance)).ChunksExpired >= 2);
    }

    [Fact]
    public async Task Without_a_reachable_learner_the_actor_does_not_step()
    {
        (IActorRef actor, TestProbe learner) = Start(Settings(), learnerPresent: false);

        await learner.ExpectNoMsgAsync(s_quiet);
        Assert.Equal(0, (await actor.Ask<SimulationActorStats>(GetStats.Instance)).Collections);

        actor.Tell(new LearnerAvailability(true));
        await learner.ExpectMsgAsync<RolloutChunk>();
    }

    [Fact]
    public async Task Nothing_is_sent_before_the_first_policy_arrives()
    {
        TestProbe learner = CreateTestProbe();
        IActorRef actor = Sys.ActorOf(SimulationActor.Props(0, "node-a", learner.Ref, Settings(), _ => new TargetTrackingSource(8)));
        actor.Tell(new LearnerAvailability(true));

        await learner.ExpectNoMsgAsync(s_quiet);
        Assert.Equal(-1, (await actor.Ask<SimulationActorStats>(GetStats.Instance)).PolicyVersion);
    }
}
