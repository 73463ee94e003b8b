using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using Akka.TestKit;
using MsMano.Cluster.Bootstrap;
using MsMano.Cluster.Learner;
using MsMano.Cluster.Learner.DataParallel;
using MsMano.Cluster.Options;
using MsMano.Cluster.Tests.Training;
using MsMano.Contracts.DataParallel;
using MsMano.Contracts.Policy;
using Xunit.Abstractions;

namespace MsMano.Cluster.Tests.Trust;

/// <summary>
/// The data-parallel coordinator on a real cluster over loopback TCP. Every hello below is sent the moment its node
/// starts, before the coordinator has seen that member (the race that once refused honest trainers): a sim member's
/// hello is held and admitted when its member appears; an eval or second learner member's hello is refused once its
/// roles are known; a process that never joins is refused after the wait. A member that never joined the group cannot
/// report shards, updates, aborts or send state. Each refusal is counted, and logged once per address.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class CoordinatorTrustSpec : TrustSpecKit
{
    // Generous: five systems form on a shared, loaded machine.
    private static readonly TimeSpan Formation = TimeSpan.FromSeconds(60);

    private static readonly DataParallelSettings s_dp = new()
    {
        GatherPeriod = TimeSpan.FromSeconds(1),
        HelloInterval = TimeSpan.FromMilliseconds(300),
        MemberWait = TimeSpan.FromSeconds(3),
    };

    public CoordinatorTrustSpec(ITestOutputHelper output)
        : base(output)
    {
    }

    [Fact]
    public async Task Sim_members_join_the_group_even_before_the_coordinator_sees_them_and_no_other_role_or_process_does()
    {
        ActorSystem learner = ClusterNode.Start(TrainingNodes.Node(ClusterRoles.Learner), TrainingNodes.Overrides);
        ActorSystem? sim = null, eval = null, secondLearner = null, outsider = null;
        try
        {
            LearnerHost.Start(learner, TrainingNodes.Learner(), TrainingNodes.Ppo, LearningMode.DataParallel, s_dp);
            TestProbe warnings = Warnings(learner);
            string seed = TrainingNodes.Address(learner);
            // The coordinator must exist before the hellos, or they would be dead letters rather than a test of the gate.
            await AwaitProgressAsync(Singleton(learner), _ => true, TimeSpan.FromSeconds(90));

            sim = StartMember(ClusterRoles.Sim, seed);
            HelloFrom(Singleton(sim, seed), "sim-early", sim);
            DataParallelHost.StartTrainer(sim, "sim-1", TrainingNodes.Ppo, TrainingNodes.Learner(), s_dp);

            eval = StartMember(ClusterRoles.Eval, seed);
            TestProbe fromEval = HelloFrom(Singleton(eval, seed), "rogue-eval", eval);

            secondLearner = StartMember(ClusterRoles.Learner, seed);
            HelloFrom(Singleton(secondLearner, seed), "rogue-learner", secondLearner);

            // Remoting but no membership: it tries to join a seed that is not there, so it never becomes a member.
            string system = Akka.Cluster.Cluster.Get(learner).SelfAddress.System;
            outsider = StartMember(ClusterRoles.Sim, $"akka.tcp://{system}@127.0.0.1:{DeadPort()}");
            HelloFrom(Singleton(outsider, seed), "outsider", outsider);

            // The early hello and the trainer's are admitted (two group members on the sim node); the other three are refused.
            await AwaitProgressAsync(Singleton(learner), p => p.Nodes == 2 && p.RefusedMessages == 3, Formation);

            // Once a member is known its hellos are judged at once; a flood from it is counted, not logged each time.
            await ClusterNode.WhenUpAsync(eval, Formation);
            Singleton(eval, seed).Tell(Hello("rogue-eval"), fromEval.Ref);
            Singleton(eval, seed).Tell(Hello("rogue-eval"), fromEval.Ref);
            // A sim member that never said hello is not in the group: its round messages and state are refused.
            TestProbe silent = CreateTestProbe(sim);
            ActorSelection coordinator = Singleton(sim, seed);
            coordinator.Tell(new ShardReady(0, 512, 100.0), silent.Ref);
            coordinator.Tell(new UpdateDone(0, 0, 1, StateHash, 512, 0.5, 0.01, 3e-4, 0.1, 0.0, 0.0, 0.0, 0.1), silent.Ref);
            coordinator.Tell(new UpdateAborted(0, 0, "forged"), silent.Ref);
            coordinator.Tell(new StateChunk(StateHash, PolicyWeightsChunker.Split(1, new byte[64]).Single()), silent.Ref);
            await AwaitProgressAsync(Singleton(learner), p => p.Nodes == 2 && p.RefusedMessages == 9, TimeSpan.FromSeconds(20));

            var logged = warnings.ReceiveWhile(TimeSpan.FromSeconds(1), o => o as Warning).Select(w => w!.Message.ToString()!).ToList();
            foreach (ActorSystem rogue in new[] { eval, secondLearner, outsider })
            {
                string address = TrainingNodes.Address(rogue);
                Assert.Single(logged, m => m.Contains("Refused trainer hello", StringComparison.Ordinal) && m.Contains(address + "/", StringComparison.Ordinal));
            }
            string simAddress = TrainingNodes.Address(sim);
            Assert.DoesNotContain(logged, m => m.Contains("Refused trainer hello", StringComparison.Ordinal) && m.Contains(simAddress + "/", StringComparison.Ordinal));
            Assert.Single(logged, m => m.Contains("Refused round message", StringComparison.Ordinal));
            Assert.Single(logged, m => m.Contains("Refused learner state chunk", StringComparison.Ordinal));
        }
        finally
        {
            await TrainingNodes.TerminateAllAsync(learner, sim, eval, secondLearner, outsider);
        }
    }

    private static int DeadPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
