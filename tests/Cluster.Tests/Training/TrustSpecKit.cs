using Akka.Actor;
using Akka.Event;
using Akka.TestKit;
using MsMano.Cluster.Bootstrap;
using MsMano.Cluster.Learner;
using MsMano.Cluster.Singleton;
using MsMano.Contracts.DataParallel;
using MsMano.Contracts.Rollouts;
using MsMano.TestSupport;
using Xunit.Abstractions;

namespace MsMano.Cluster.Tests.Training;

/// <summary>
/// The shared set-up of the trust and coordinator specs: a TestKit on the training nodes' sizes, members that join a
/// seed in a given role, probes on a system's events, the learner's progress, and the messages a node or trainer sends.
/// </summary>
public abstract class TrustSpecKit : Akka.TestKit.Xunit2.TestKit
{
    protected const string StateHash = "0123456789abcdef";

    protected TrustSpecKit(ITestOutputHelper output, string extraConfig = "")
        : base("akka.loglevel = INFO\n" + extraConfig, output)
    {
    }

    /// <summary>A cluster node in <paramref name="role"/> that joins <paramref name="seed"/> (not yet Up).</summary>
    protected static ActorSystem StartMember(string role, string seed)
    {
        return ClusterNode.Start(TrainingNodes.Node(role, seed), TrainingNodes.Overrides);
    }

    /// <summary>The learner singleton (learner or data-parallel coordinator) on <paramref name="seed"/> (on <paramref name="from"/> itself if empty).</summary>
    protected static ActorSelection Singleton(ActorSystem from, string seed = "")
    {
        return from.ActorSelection(seed + LearnerSingleton.SingletonPath);
    }

    /// <summary>A probe that receives every <typeparamref name="T"/> published on <paramref name="system"/>'s event stream.</summary>
    protected TestProbe Subscribe<T>(ActorSystem system)
    {
        TestProbe probe = CreateTestProbe(system);
        system.EventStream.Subscribe(probe.Ref, typeof(T));
        return probe;
    }

    /// <summary>A probe that receives every warning logged on <paramref name="system"/> (refusals are warnings).</summary>
    protected TestProbe Warnings(ActorSystem system) => Subscribe<Warning>(system);

    protected static async Task FishWarningAsync(TestProbe probe, string text)
    {
        await probe.FishForMessageAsync<Warning>(w => w.Message.ToString()!.Contains(text, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
    }

    /// <summary>A learner's (or coordinator's) progress; a TorchSharp update can hold the actor for seconds on a loaded machine.</summary>
    protected static Task<LearnerProgress> ProgressAsync(ICanTell learner, TimeSpan? timeout = null)
    {
        return learner.Ask<LearnerProgress>(LearnerProtocol.GetProgress.Instance, timeout ?? TimeSpan.FromSeconds(30));
    }

    /// <summary>Polls the learner until its progress meets <paramref name="condition"/>; a failure shows the last progress seen.</summary>
    protected async Task AwaitProgressAsync(ICanTell learner, Func<LearnerProgress, bool> condition, TimeSpan within)
    {
        LearnerProgress? last = null;
        await AwaitAssertAsync(async () =>
        {
            // Null until the singleton runs (it starts once the learner node is Up and has loaded its state).
            LearnerProgress? now = null;
            try
            {
                now = await ProgressAsync(learner, TimeSpan.FromSeconds(5));
            }
            catch (AskTimeoutException)
            {
            }
            last = now ?? last;
            Assert.True(now is not null && condition(now),
                $"last progress: {last?.Nodes} nodes or group members, {last?.RefusedMessages} refused, {last?.RejectedChunks} chunks rejected, {last?.Status.Updates} updates");
        }, within, TimeSpan.FromMilliseconds(200));
    }

    /// <summary>8 agents x 1 step of the synthetic task from <paramref name="nodeId"/>, acted at <paramref name="version"/>.</summary>
    protected static RolloutChunk Chunk(string nodeId, long sequence, long version, float? poisonReward = null)
    {
        return SyntheticChunks.Create(nodeId, sequence, version, TrainingNodes.ObservationSize, TrainingNodes.ActionSize, poisonReward);
    }

    /// <summary>A trainer's hello at v0 with the training nodes' sizes.</summary>
    protected static TrainerHello Hello(string nodeId, int agents = 32, double stepsPerSecond = 100.0)
    {
        return new TrainerHello(nodeId, 0, StateHash, TrainingNodes.ObservationSize, TrainingNodes.ActionSize, agents, stepsPerSecond);
    }

    /// <summary>A probe on <paramref name="from"/> (this kit's system if null) that has said <see cref="Hello"/> to the coordinator.</summary>
    protected TestProbe HelloFrom(ICanTell coordinator, string nodeId, ActorSystem? from = null, int agents = 32, double stepsPerSecond = 100.0)
    {
        TestProbe trainer = from is null ? CreateTestProbe() : CreateTestProbe(from);
        coordinator.Tell(Hello(nodeId, agents, stepsPerSecond), trainer.Ref);
        return trainer;
    }
}
