using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using MsMano.Cluster.Bootstrap;
using MsMano.Cluster.Learner;
using MsMano.Cluster.Options;
using MsMano.Cluster.Simulation;
using MsMano.Environments.Synthetic;
using MsMano.Learning.Ppo;

namespace MsMano.Cluster.Tests.Training;

/// <summary>
/// Small, fast training clusters for the specs: the synthetic target-tracking task (obs 8, act 2), a 32x32 network
/// and 512-transition batches, so an update takes tens of milliseconds and a spec runs in seconds.
/// </summary>
internal static class TrainingNodes
{
    public const int ObservationSize = 8;
    public const int ActionSize = 2;

    public static readonly TimeSpan Formation = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Test logger (EventFilter), no serialize-messages (cluster events would go through JSON), fast failure
    /// detection and a 2 s stable-after so a crashed node is downed within seconds.
    /// </summary>
    public static readonly Config Overrides = ConfigurationFactory.ParseString("""
        akka.loggers = ["Akka.TestKit.TestEventListener, Akka.TestKit"]
        akka.actor.serialize-messages = off
        akka.remote.log-remote-lifecycle-events = off
        akka.cluster.failure-detector.heartbeat-interval = 300ms
        akka.cluster.failure-detector.acceptable-heartbeat-pause = 2s
        akka.cluster.unreachable-nodes-reaper-interval = 250ms
        """);

    /// <summary>A node that vanishes on Terminate (no coordinated shutdown, no leave), like a killed process.</summary>
    public static readonly Config Crashable = ConfigurationFactory.ParseString(
        "akka.coordinated-shutdown.run-by-actor-system-terminate = off").WithFallback(Overrides);

    public static PpoConfig Ppo => new()
    {
        ObservationSize = ObservationSize,
        ActionSize = ActionSize,
        Hidden = [32, 32],
        LearningRate = 3e-3,
        MinibatchSize = 128,
        Epochs = 4,
        EntropyCoef = 0.0,
        TargetKl = 0.02,
        Seed = 3,
        Device = "cpu",
    };

    public static LearnerSettings Learner(string? checkpoints = null, int checkpointEvery = 0) => new()
    {
        BatchSize = 512,
        CheckpointDirectory = checkpoints,
        CheckpointEvery = checkpointEvery,
        ProgressInterval = TimeSpan.FromMilliseconds(200),
        NodeTimeout = TimeSpan.FromSeconds(5),
        TorchThreads = 1,
    };

    public static SimulationNodeSettings Sim(string nodeId) => new()
    {
        NodeId = nodeId,
        Actors = 1,
        Agents = 32,
        StepsPerCollection = 2,
        InitialWindow = 4,
        AckTimeout = TimeSpan.FromSeconds(3),
        RegistrationInterval = TimeSpan.FromMilliseconds(500),
        StatusInterval = TimeSpan.FromMilliseconds(500),
    };

    public static ClusterNodeOptions Node(string role, params string[] seeds)
    {
        return ClusterNodeOptions.Local(role) with { StableAfter = TimeSpan.FromSeconds(2), Seeds = seeds };
    }

    public static ActorSystem StartLearner(LearnerSettings settings, string[] seeds, Config? overrides = null)
    {
        ActorSystem system = ClusterNode.Start(Node(ClusterRoles.Learner, seeds), overrides ?? Overrides);
        LearnerHost.Start(system, settings, Ppo);
        return system;
    }

    public static ActorSystem StartSim(string nodeId, string[] seeds, Config? overrides = null, int seed = 1)
    {
        ActorSystem system = ClusterNode.Start(Node(ClusterRoles.Sim, seeds), overrides ?? Overrides);
        SimulationNodeHost.Start(system, Sim(nodeId), actorId => new TargetTrackingSource(32, ObservationSize, ActionSize, seed * 100 + actorId));
        return system;
    }

    public static string Address(ActorSystem system)
    {
        return Akka.Cluster.Cluster.Get(system).SelfAddress.ToString();
    }

    /// <summary>A probe on the learner node that receives every <see cref="LearnerProgress"/>.</summary>
    public static TestProbe ProgressProbe(TestKitBase kit, ActorSystem learner)
    {
        TestProbe probe = kit.CreateTestProbe(learner);
        learner.EventStream.Subscribe(probe.Ref, typeof(LearnerProgress));
        return probe;
    }

    public static async Task<LearnerProgress> WaitForAsync(TestProbe probe, Func<LearnerProgress, bool> condition, TimeSpan timeout)
    {
        LearnerProgress? last = null;
        try
        {
            object message = await probe.FishForMessageAsync(m =>
            {
                if (m is LearnerProgress p)
                {
                    last = p;
                    return condition(p);
                }
                return false;
            }, timeout);
            return (LearnerProgress)message;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new TimeoutException($"Learner progress never met the condition within {timeout}; last seen: {last}", ex);
        }
    }

    public static async Task TerminateAllAsync(params ActorSystem?[] systems)
    {
        foreach (ActorSystem? system in systems.Reverse())
        {
            if (system is not null)
            {
                await system.Terminate().WaitAsync(TimeSpan.FromSeconds(30));
            }
        }
    }
}
