using Akka.Actor;
using Akka.TestKit;
using MsMano.Cluster.Learner;
using MsMano.Cluster.Tests.Training;
using MsMano.Contracts.Policy;
using MsMano.Contracts.Rollouts;
using MsMano.Environments.Rollouts;
using MsMano.Environments.Synthetic;
using MsMano.Learning.Ppo;
using Xunit.Abstractions;

namespace MsMano.Cluster.Tests.Trust;

/// <summary>A reward of 3e38 or 1e30 in a chunk: the chunk is refused, training goes on and the weights stay finite.</summary>
[Collection(TrainingCollection.Name)]
public sealed class PoisonedRolloutSpec : TrustSpecKit
{
    public PoisonedRolloutSpec(ITestOutputHelper output)
        : base(output)
    {
    }

    [Theory]
    [InlineData(3e38f)]
    [InlineData(1e30f)]
    public async Task A_huge_reward_is_refused_and_training_goes_on_with_finite_weights(float reward)
    {
        IActorRef learner = Sys.ActorOf(LearnerActor.Props(TrainingNodes.Learner() with { BatchSize = 8 }, TrainingNodes.Ppo));
        TestProbe node = CreateTestProbe();
        TestProbe sim = CreateTestProbe();
        learner.Tell(new Contracts.Nodes.NodeRegistration("sim-1", 1, 8, TrainingNodes.ObservationSize, TrainingNodes.ActionSize), node.Ref);

        learner.Tell(Chunk("sim-1", 0, 0, poisonReward: reward), sim.Ref);
        await sim.FishForMessageAsync<RolloutAck>(a => a.Sequence == 0, TimeSpan.FromSeconds(20));
        for (long s = 1; s <= 3; s++)
        {
            LearnerProgress p = await ProgressAsync(learner);
            learner.Tell(Chunk("sim-1", s, p.Status.PolicyVersion), sim.Ref);
            await AwaitProgressAsync(learner, q => q.Status.Updates == s, TimeSpan.FromSeconds(30));
        }

        LearnerProgress progress = await ProgressAsync(learner);
        Assert.Equal((1L, 3L, 0L), (progress.RejectedChunks, progress.Status.Updates, progress.RejectedUpdates));
        Assert.True(double.IsFinite(progress.Status.MeanReward) && progress.Status.MeanReward is >= 0 and <= 1, $"{progress.Status.MeanReward}");
        UpdateStats last = progress.LastUpdate!;
        Assert.True(double.IsFinite(last.PolicyLoss) && double.IsFinite(last.ValueLoss) && double.IsFinite(last.GradNorm), $"{last}");
    }
}
