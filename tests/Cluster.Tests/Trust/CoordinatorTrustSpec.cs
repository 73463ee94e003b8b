using Akka.Actor;
using Akka.Event;
using Akka.TestKit;
using MsMano.Cluster.Bootstrap;
using MsMano.Cluster.Learner;
using MsMano.Cluster.Learner.DataParallel;
using MsMano.Cluster.Options;
using MsMano.Cluster.Singleton;
using MsMano.Cluster.Tests.Training;
using MsMano.Contracts.DataParallel;
using MsMano.Contracts.Policy;
using Xunit.Abstractions;

namespace MsMano.Cluster.Tests.Trust;

/// <summary>
/// The data-parallel coordinator on a real cluster over loopback TCP: a member without role sim cannot join the
/// group, and a member that never joined cannot report shards, updates, aborts or send state; each attempt is
/// refused, logged and counted, while a real sim member's hello is still admitted.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class CoordinatorTrustSpec : Akka.TestKit.Xunit2.TestKit
{
    private const string Hash = "0123456789abcdef";

    // Generous: three nodes form on a shared, loaded machine.
    private static readonly TimeSpan Formation = TimeSpan.FromSeconds(60);

    public CoordinatorTrustSpec(ITestOutputHelper output)
        : base("akka.loglevel = INFO", output)
    {
    }

    [Fact]
    public async Task Only_sim_members_join_the_group_and_only_group_trainers_send_round_messages()
    {
        ActorSystem learner = ClusterNode.Start(TrainingNodes.Node(ClusterRoles.Learner), TrainingNodes.Overrides);
        ActorSystem? eval = null, sim = null;
        try
        {
            LearnerHost.Start(learner, TrainingNodes.Learner(), TrainingNodes.Ppo, LearningMode.DataParallel, new DataParallelSettings());
            TestProbe warnings = CreateTestProbe(learner);
            learner.EventStream.Subscribe(warnings.Ref, typeof(Warning));
            string seed = TrainingNodes.Address(learner);
            eval = ClusterNode.Start(TrainingNodes.Node(ClusterRoles.Eval, seed), TrainingNodes.Overrides);
            sim = ClusterNode.Start(TrainingNodes.Node(ClusterRoles.Sim, seed), TrainingNodes.Overrides);
            await Task.WhenAll(ClusterNode.WhenUpAsync(eval, Formation), ClusterNode.WhenUpAsync(sim, Formation));
            // The gate reads the coordinator's own view of the cluster: wait until it sees both members Up.
            await AwaitConditionAsync(
                () => Task.FromResult(Akka.Cluster.Cluster.Get(learner).State.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up) == 3),
                Formation, TimeSpan.FromMilliseconds(100));
            IActorRef coordinator = await eval.ActorSelection(seed + LearnerSingleton.SingletonPath).ResolveOne(TimeSpan.FromSeconds(10));
            TestProbe fromEval = CreateTestProbe(eval);
            TestProbe fromSim = CreateTestProbe(sim);

            coordinator.Tell(Hello("rogue-eval"), fromEval.Ref);
            await FishWarning(warnings, "Refused trainer hello");
            // A sim member that never said hello is not in the group: its round messages and state are refused.
            coordinator.Tell(new ShardReady(0, 512, 100.0), fromSim.Ref);
            coordinator.Tell(new UpdateDone(0, 0, 1, Hash, 512, 0.5, 0.01, 3e-4, 0.1, 0.0, 0.0, 0.0, 0.1), fromSim.Ref);
            coordinator.Tell(new UpdateAborted(0, 0, "forged"), fromSim.Ref);
            await FishWarning(warnings, "Refused round message");
            PolicyWeightsChunk part = PolicyWeightsChunker.Split(1, new byte[64]).Single();
            coordinator.Tell(new StateChunk(Hash, part), fromSim.Ref);
            await FishWarning(warnings, "Refused learner state chunk");

            LearnerProgress refused = await coordinator.Ask<LearnerProgress>(LearnerProtocol.GetProgress.Instance, TimeSpan.FromSeconds(5));
            Assert.Equal((0, 5L), (refused.Nodes, refused.RefusedMessages));

            // The same hello from a sim member is admitted: the gate refuses senders, not the message.
            coordinator.Tell(Hello("sim-1"), fromSim.Ref);
            await AwaitAssertAsync(async () =>
            {
                LearnerProgress joined = await coordinator.Ask<LearnerProgress>(LearnerProtocol.GetProgress.Instance, TimeSpan.FromSeconds(5));
                Assert.Equal((1, 5L), (joined.Nodes, joined.RefusedMessages));
            }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        }
        finally
        {
            await TrainingNodes.TerminateAllAsync(learner, eval, sim);
        }
    }

    private static TrainerHello Hello(string nodeId)
    {
        return new TrainerHello(nodeId, 0, Hash, TrainingNodes.ObservationSize, TrainingNodes.ActionSize, 32, 100.0);
    }

    private static async Task FishWarning(TestProbe probe, string text)
    {
        await probe.FishForMessageAsync<Warning>(w => w.Message.ToString()!.Contains(text, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
    }
}
