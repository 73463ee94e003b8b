using Akka.Actor;
using Akka.Event;
using Akka.TestKit;
using MessagePack;
using MsMano.Cluster.Bootstrap;
using MsMano.Cluster.Learner;
using MsMano.Cluster.Options;
using MsMano.Cluster.Simulation;
using MsMano.Cluster.Tests.Training;
using MsMano.Contracts.Nodes;
using MsMano.Contracts.Policy;
using MsMano.Contracts.Rollouts;
using MsMano.Environments.Policy;
using MsMano.Environments.Rollouts;
using MsMano.Environments.Synthetic;
using Xunit.Abstractions;

namespace MsMano.Cluster.Tests.Trust;

/// <summary>
/// Members of a real cluster over loopback TCP that send what their role does not allow: each attempt is refused,
/// logged, and changes nothing.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class SenderTrustSpec : TrustSpecKit
{
    public SenderTrustSpec(ITestOutputHelper output)
        : base(output)
    {
    }

    [Fact]
    public async Task A_member_with_the_wrong_role_cannot_register_and_an_unregistered_sender_cannot_push_rollouts()
    {
        ActorSystem learner = TrainingNodes.StartLearner(TrainingNodes.Learner() with { BatchSize = 8 }, []);
        ActorSystem? rogue = null;
        try
        {
            TestProbe warnings = Warnings(learner);
            string seed = TrainingNodes.Address(learner);
            rogue = StartMember(ClusterRoles.Eval, seed);
            await ClusterNode.WhenUpAsync(rogue, TrainingNodes.Formation);
            IActorRef singleton = await Singleton(rogue, seed).ResolveOne(TimeSpan.FromSeconds(10));
            TestProbe intruder = CreateTestProbe(rogue);

            singleton.Tell(new NodeRegistration("rogue", 1, 8, TrainingNodes.ObservationSize, TrainingNodes.ActionSize), intruder.Ref);
            await FishWarningAsync(warnings, "Refused node registration");
            singleton.Tell(Chunk("rogue", 0, 0), intruder.Ref);
            await FishWarningAsync(warnings, "Refused rollout chunk");
            // No weights for the would-be node, no ack (no credit) for the chunk.
            await intruder.ExpectNoMsgAsync(TimeSpan.FromSeconds(1));

            LearnerProgress progress = await ProgressAsync(singleton, TimeSpan.FromSeconds(5));
            Assert.Equal((0, 0L, 0L), (progress.Nodes, progress.ReceivedChunks, progress.Status.Updates));
            Assert.Equal(2, progress.RefusedMessages);
        }
        finally
        {
            await TrainingNodes.TerminateAllAsync(learner, rogue);
        }
    }

    [Theory]
    [InlineData(ClusterRoles.Learner)] // a second learner-role member: not the oldest, so not the singleton's host
    [InlineData(ClusterRoles.Sim)]
    public async Task Only_the_current_learner_can_push_weights_to_a_simulation_node(string role)
    {
        ActorSystem learner = TrainingNodes.StartLearner(TrainingNodes.Learner(), []);
        ActorSystem? sim = null, rogue = null;
        try
        {
            TestProbe progress = TrainingNodes.ProgressProbe(this, learner);
            string seed = TrainingNodes.Address(learner);
            sim = TrainingNodes.StartSim("sim-1", [seed]);
            await TrainingNodes.WaitForAsync(progress, p => p.Status.Updates >= 1 && p.Nodes == 1, TimeSpan.FromSeconds(60));
            TestProbe warnings = Warnings(sim);
            rogue = StartMember(role, seed);
            await ClusterNode.WhenUpAsync(rogue, TrainingNodes.Formation);
            IActorRef node = await rogue.ActorSelection(TrainingNodes.Address(sim) + "/user/" + SimulationNodeHost.NodeActorName).ResolveOne(TimeSpan.FromSeconds(10));
            TestProbe intruder = CreateTestProbe(rogue);

            PolicySnapshot forged = RandomPolicySnapshot.Create(TrainingNodes.ObservationSize, [32, 32], TrainingNodes.ActionSize, seed: 7, version: 999_999);
            foreach (PolicyWeightsChunk chunk in PolicyWeightsChunker.Split(forged.Version, MessagePackSerializer.Serialize(forged)))
            {
                node.Tell(chunk, intruder.Ref);
            }

            await FishWarningAsync(warnings, "Refused policy weights");
            await Task.Delay(500);
            Assert.NotEqual(999_999, (await Stats(sim)).PolicyVersion);
        }
        finally
        {
            await TrainingNodes.TerminateAllAsync(learner, sim, rogue);
        }
    }

    private static async Task<SimulationActorStats> Stats(ActorSystem sim)
    {
        return await sim.ActorSelection($"/user/{SimulationNodeHost.NodeActorName}/sim-0")
            .Ask<SimulationActorStats>(SimulationProtocol.GetStats.Instance, TimeSpan.FromSeconds(5));
    }
}
