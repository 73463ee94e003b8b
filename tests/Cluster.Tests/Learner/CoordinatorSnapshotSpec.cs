using Akka.Actor;
using Akka.TestKit;
using MsMano.Cluster.Learner.DataParallel;
using MsMano.Cluster.Tests.Training;
using MsMano.Contracts.DataParallel;
using MsMano.Contracts.Monitoring;
using Xunit.Abstractions;

namespace MsMano.Cluster.Tests.Learner;

/// <summary>The data-parallel coordinator's dashboard snapshot, with probes playing trainers.</summary>
[Collection(TrainingCollection.Name)]
public sealed class CoordinatorSnapshotSpec : TrustSpecKit
{
    public CoordinatorSnapshotSpec(ITestOutputHelper output)
        : base(output, "akka.actor.provider = cluster")
    {
    }

    [Fact]
    public async Task Each_trainer_appears_with_the_agents_and_steps_per_second_of_its_latest_hello()
    {
        TestProbe watcher = Subscribe<TrainingSnapshot>(Sys);
        IActorRef coordinator = Sys.ActorOf(CoordinatorActor.Props(TrainingNodes.Learner(), TrainingNodes.Ppo, new DataParallelSettings()));
        TestProbe a = HelloFrom(coordinator, "node-a", agents: 64, stepsPerSecond: 1_250.0);
        HelloFrom(coordinator, "node-b", agents: 128, stepsPerSecond: 2_400.0);

        // The coordinator first loads its (TorchSharp) group state: slow on a loaded 2-core machine.
        TrainingSnapshot snapshot = await watcher.FishForMessageAsync<TrainingSnapshot>(s => s.Nodes.Count == 2, TimeSpan.FromSeconds(90));
        Assert.Equal("data-parallel", snapshot.Source);
        Assert.Equal(
            [("node-a", 64, 1_250.0), ("node-b", 128, 2_400.0)],
            snapshot.Nodes.Select(n => (n.NodeId, n.Agents, n.AgentStepsPerSecond)).ToArray());
        Assert.All(snapshot.Nodes, n => Assert.InRange(n.SecondsSinceHeard, 0.0, 15.0));

        // A later hello replaces the figures: the snapshot follows the trainer, it does not keep its first report.
        coordinator.Tell(Hello("node-a", agents: 32, stepsPerSecond: 600.0), a.Ref);
        snapshot = await watcher.FishForMessageAsync<TrainingSnapshot>(s => s.Nodes.Any(n => n.NodeId == "node-a" && n.Agents == 32), TimeSpan.FromSeconds(90));
        Assert.Equal(600.0, snapshot.Nodes.Single(n => n.NodeId == "node-a").AgentStepsPerSecond);
    }
}
