using Akka.Actor;
using MsMano.Cluster.Learner.DataParallel;
using MsMano.Cluster.Singleton;
using MsMano.Learning.Ppo;

namespace MsMano.Cluster.Learner;

/// <summary>Starts a simulation node's trainer for data-parallel learning; its simulation actors then send their rollouts to it.</summary>
public static class DataParallelHost
{
    public const string TrainerName = "trainer";

    /// <summary>The trainer, talking to the coordinator singleton through a local proxy; returns the trainer.</summary>
    public static IActorRef StartTrainer(ActorSystem system, string nodeId, PpoConfig ppo, LearnerSettings learner, DataParallelSettings dataParallel)
    {
        ArgumentNullException.ThrowIfNull(system);
        IActorRef coordinator = system.ActorOf(LearnerSingleton.ProxyProps(system), "coordinator-proxy");
        return system.ActorOf(
            TrainerActor.Props(nodeId, ppo, dataParallel, learner.CreditWindow, learner.TorchThreads, coordinator), TrainerName);
    }
}
