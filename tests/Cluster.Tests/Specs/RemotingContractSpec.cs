using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Akka.Event;
using Akka.TestKit;
using MsMano.Cluster.Bootstrap;
using MsMano.Cluster.Options;
using MsMano.Contracts.Rollouts;
using MsMano.Contracts.Serialization;
using Xunit.Abstractions;

namespace MsMano.Cluster.Tests.Specs;

public sealed class RemotingContractSpec : Akka.TestKit.Xunit2.TestKit, IClassFixture<ThreeNodeClusterFixture>
{
    private static readonly TimeSpan s_receive = TimeSpan.FromSeconds(10);
    private readonly ThreeNodeClusterFixture _nodes;

    public RemotingContractSpec(ThreeNodeClusterFixture nodes, ITestOutputHelper output)
        : base("akka.loglevel = INFO", output)
    {
        _nodes = nodes;
    }

    [Fact]
    public void Three_nodes_form_one_cluster_with_a_learner_and_two_sims()
    {
        // Each node is Up in its own view before the learner's gossip has caught up: wait for the learner's view.
        AwaitAssert(() =>
        {
            ClusterEvent.CurrentClusterState state = Akka.Cluster.Cluster.Get(_nodes.Learner).State;
            Assert.Equal(3, state.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up));
            Assert.Single(state.Members, m => m.HasRole(ClusterRoles.Learner));
            Assert.Equal(2, state.Members.Count(m => m.HasRole(ClusterRoles.Sim)));
        }, TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(100));
        Assert.Equal(
            "akka.tcp", Akka.Cluster.Cluster.Get(_nodes.Sim1).SelfAddress.Protocol);
    }

    [Theory]
    [InlineData(32)]
    [InlineData(64)]
    public async Task A_rollout_chunk_of_realistic_size_arrives_intact_through_remoting(int agents)
    {
        TestProbe probe = CreateTestProbe(_nodes.Learner);
        IActorRef learner = await TestNodes.RemoteRefAsync(_nodes.Sim1, _nodes.Learner, probe);
        RolloutChunk sent = SampleRollouts.Create(agents, 2, 192, 31, seed: agents, nodeId: "sim-1", actorId: 2, sequence: 9);

        learner.Tell(sent);

        RolloutChunk received = await probe.ExpectMsgAsync<RolloutChunk>(s_receive);
        Assert.NotSame(sent, received);
        Assert.Equal(sent.Observations, received.Observations);
        Assert.Equal(sent.Actions, received.Actions);
        Assert.Equal(sent.LogProbs, received.LogProbs);
        Assert.Equal(sent.Rewards, received.Rewards);
        Assert.Equal(sent.Flags, received.Flags);
        Assert.Equal(sent.NextObservations, received.NextObservations);
        Assert.Equal((sent.NodeId, sent.ActorId, sent.Sequence, sent.PolicyVersion, sent.AgentCount), (received.NodeId, received.ActorId, received.Sequence, received.PolicyVersion, received.AgentCount));
    }

    [Fact]
    public async Task A_malformed_payload_is_logged_and_dropped_and_the_node_keeps_working()
    {
        Config corrupt = ConfigurationFactory.ParseString(
            $"akka.actor.serializers.{ContractSerialization.SerializerName} = \"{typeof(CorruptingContractSerializer).FullName}, {typeof(CorruptingContractSerializer).Assembly.GetName().Name}\"")
            .WithFallback(TestNodes.Overrides);
        string seed = Akka.Cluster.Cluster.Get(_nodes.Learner).SelfAddress.ToString();
        ActorSystem rogue = ClusterNode.Start(ClusterNodeOptions.Local(ClusterRoles.Sim) with { Seeds = [seed] }, corrupt);
        try
        {
            await ClusterNode.WhenUpAsync(rogue, TestNodes.FormationTimeout);
            TestProbe probe = CreateTestProbe(_nodes.Learner);
            IActorRef learner = await TestNodes.RemoteRefAsync(rogue, _nodes.Learner, probe);
            RolloutChunk garbage = SampleRollouts.Create(4, 2, 192, 31, seed: 1, nodeId: CorruptingContractSerializer.CorruptNodeId);

            await CreateEventFilter(_nodes.Learner)
                .Custom(e => e is Warning or Error && e.Message.ToString()!.Contains($"serializer id [{ContractSerializer.SerializerId}]"))
                .ExpectOneAsync(async () =>
                {
                    learner.Tell(garbage);
                    await probe.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(500));
                });

            RolloutChunk valid = SampleRollouts.Create(4, 2, 192, 31, seed: 2, nodeId: "sim-9");
            learner.Tell(valid);
            Assert.Equal(valid.Rewards, (await probe.ExpectMsgAsync<RolloutChunk>(s_receive)).Rewards);
        }
        finally
        {
            await rogue.Terminate();
        }
    }

    [Fact]
    public async Task An_oversized_message_is_dropped_with_an_error_and_the_association_survives()
    {
        TestProbe probe = CreateTestProbe(_nodes.Learner);
        IActorRef learner = await TestNodes.RemoteRefAsync(_nodes.Sim2, _nodes.Learner, probe);
        byte[] oversized = new byte[ClusterNodeOptions.DefaultMaximumFrameSize + 1000];

        await CreateEventFilter(_nodes.Sim2)
            .Error(start: "Discarding oversized payload sent to ")
            .ExpectOneAsync(async () =>
            {
                learner.Tell(oversized);
                await probe.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(500));
            });

        var ack = new RolloutAck("sim-2", 0, 1, 4);
        learner.Tell(ack);
        Assert.Equal(ack, await probe.ExpectMsgAsync<RolloutAck>(s_receive));
        Assert.Equal(3, Akka.Cluster.Cluster.Get(_nodes.Sim2).State.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up));
    }
}
