using Akka.Actor;
using Akka.Event;
using Akka.TestKit;
using MsMano.Contracts.DataParallel;
using MsMano.Contracts.Rollouts;
using MsMano.TestSupport;
using Xunit.Abstractions;

namespace MsMano.Cluster.Tests.Training;

/// <summary>
/// The shared set-up of the trust specs (senders, poisoned rollouts, the coordinator's doors): a TestKit on the
/// training nodes' sizes, a probe on a system's warnings, and the messages a node or a trainer would send.
/// </summary>
public abstract class TrustSpecKit : Akka.TestKit.Xunit2.TestKit
{
    protected const string StateHash = "0123456789abcdef";

    protected TrustSpecKit(ITestOutputHelper output, string extraConfig = "")
        : base("akka.loglevel = INFO\n" + extraConfig, output)
    {
    }

    /// <summary>A probe that receives every warning logged on <paramref name="system"/> (refusals are warnings).</summary>
    protected TestProbe Warnings(ActorSystem system)
    {
        TestProbe probe = CreateTestProbe(system);
        system.EventStream.Subscribe(probe.Ref, typeof(Warning));
        return probe;
    }

    protected static async Task FishWarningAsync(TestProbe probe, string text)
    {
        await probe.FishForMessageAsync<Warning>(w => w.Message.ToString()!.Contains(text, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
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
}
