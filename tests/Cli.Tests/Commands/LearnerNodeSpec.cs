using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using MsMano.Cli.Commands;
using MsMano.Cluster.Bootstrap;
using MsMano.Cluster.Evaluation;
using MsMano.Cluster.Learner;
using MsMano.Cluster.Local;
using MsMano.Cluster.Options;
using MsMano.Cluster.Singleton;
using MsMano.Contracts.Evaluation;
using MsMano.Contracts.Nodes;
using MsMano.Contracts.Rollouts;
using MsMano.Contracts.Training;
using MsMano.Evaluation.Benchmark;
using MsMano.Learning.Ppo;
using Xunit.Abstractions;

namespace MsMano.Cli.Tests.Commands;

/// <summary>
/// The learner's node as the commands compose it, on real cluster nodes over loopback TCP: the evaluation actor
/// beside the learner, fed by the learner's EventStream, reachable from other nodes, and the end-of-run wait. The
/// policy has IDNet's sizes (BioPR needs them) but one 16-wide layer, and the benchmark is tiny (4 training
/// sequences, 1 scored, 5 RefineNet iterations), so an evaluation takes seconds.
/// </summary>
[Collection(Name)]
public sealed class LearnerNodeSpec : Akka.TestKit.Xunit2.TestKit
{
    public const string Name = "LearnerNode";

    private const int ObservationSize = 192;
    private const int ActionSize = 31;
    private static readonly TimeSpan s_evaluation = TimeSpan.FromSeconds(120);

    // Cluster events would go through the JSON fallback with serialize-messages on; contracts are covered elsewhere.
    private static readonly Config s_overrides = ConfigurationFactory.ParseString("""
        akka.actor.serialize-messages = off
        akka.remote.log-remote-lifecycle-events = off
        """);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"msmano-evalnode-{Guid.NewGuid():N}");

    public LearnerNodeSpec(ITestOutputHelper output)
        : base("akka.loglevel = INFO", output)
    {
    }

    private static PpoConfig Ppo => new()
    {
        ObservationSize = ObservationSize,
        ActionSize = ActionSize,
        Hidden = [16],
        MinibatchSize = 8,
        Epochs = 1,
        Seed = 3,
        Device = "cpu",
    };

    private static LearnerSettings Learner => new()
    {
        BatchSize = 8,
        CheckpointDirectory = null,
        ProgressInterval = TimeSpan.FromMilliseconds(200),
        TorchThreads = 1,
    };

    private EvaluationSettings TinyEvaluation => new()
    {
        OutputDirectory = _directory,
        MaxTestSequences = 1,
        RefineIterations = 5,
        SyntheticTrainSequences = 4,
        Timeout = s_evaluation,
    };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_learner_node_starts_an_evaluation_actor_fed_with_the_learner_s_weights_only_when_enabled(bool enabled)
    {
        await using LocalCluster cluster = await LocalCluster.StartAsync([ClusterNodeOptions.Local(ClusterRoles.Learner)], TimeSpan.FromSeconds(20), s_overrides);
        ActorSystem system = cluster.Nodes[0];
        TestProbe progress = CreateTestProbe(system);
        system.EventStream.Subscribe(progress.Ref, typeof(LearnerProgress));

        var node = LearnerNode.Start(system, Learner, Ppo, TinyEvaluation with { Enabled = enabled });

        await progress.ExpectMsgAsync<LearnerProgress>(TimeSpan.FromSeconds(30)); // the learner runs either way
        Task<IActorRef> lookup = system.ActorSelection($"/user/{EvaluationHost.ActorName}").ResolveOne(TimeSpan.FromSeconds(3));
        if (enabled)
        {
            Assert.Equal(node.Evaluation, await lookup);
            // Version 0, published by the learner at start, reached it through the node's EventStream.
            await AwaitAssertAsync(async () =>
            {
                EvaluationProtocol.EvaluationState state = await node.Evaluation!.Ask<EvaluationProtocol.EvaluationState>(EvaluationProtocol.GetState.Instance, TimeSpan.FromSeconds(3));
                Assert.Equal(0, state.PolicyVersion);
            }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(200));
        }
        else
        {
            Assert.Null(node.Evaluation);
            await Assert.ThrowsAsync<ActorNotFoundException>(() => lookup);
            Assert.Equal("off", (await node.FinishEvaluationAsync(new TrainingStatus(0, 0, 0, 0, 0, true), CancellationToken.None)).Note);
        }
    }

    [Fact]
    public async Task A_RequestEvaluation_from_another_node_is_answered_with_the_report_which_is_also_published_on_the_learner_node()
    {
        await using LocalCluster cluster = await LocalCluster.StartAsync(
            [ClusterNodeOptions.Local(ClusterRoles.Learner), ClusterNodeOptions.Local(ClusterRoles.Sim)], TimeSpan.FromSeconds(20), s_overrides);
        ActorSystem learner = cluster.Nodes[0], client = cluster.Nodes[1];
        TestProbe published = CreateTestProbe(learner);
        learner.EventStream.Subscribe(published.Ref, typeof(EvaluationReport));
        learner.EventStream.Subscribe(published.Ref, typeof(EvaluationProtocol.ReportWritten));
        LearnerNode.Start(learner, Learner, Ppo, TinyEvaluation);

        // From the other node, over remoting and the contract serializer, as any cluster member would ask.
        TestProbe requester = CreateTestProbe(client);
        string path = $"{Akka.Cluster.Cluster.Get(learner).SelfAddress}/user/{EvaluationHost.ActorName}";
        client.ActorSelection(path).Tell(new RequestEvaluation("test", MinimumPolicyVersion: 0, MaxSequences: 1), requester.Ref);

        EvaluationReport answered = await requester.ExpectMsgAsync<EvaluationReport>(s_evaluation);
        EvaluationReport local = await published.ExpectMsgAsync<EvaluationReport>();
        EvaluationProtocol.ReportWritten written = await published.ExpectMsgAsync<EvaluationProtocol.ReportWritten>();
        Assert.Equal(0, answered.PolicyVersion);
        Assert.Equal((local.Title, local.PolicyVersion, local.Markdown), (answered.Title, answered.PolicyVersion, answered.Markdown));
        Assert.Equal(local.Metrics, answered.Metrics);
        Assert.Contains(answered.Metrics, m => m.Method == BenchmarkMethods.BioPr && m.Name == "MPJPE" && m.Split == "test");
        Assert.Equal(Path.Combine(_directory, "v0", "report.md"), written.Files.Markdown);
        Assert.True(File.Exists(written.Files.Markdown));
    }

    [Fact]
    public async Task Convergence_of_the_learner_starts_an_evaluation_whose_report_the_end_of_run_step_returns()
    {
        // The node also carries role sim, so the probe below may register and then push rollouts (the learner's sender gate).
        await using LocalCluster cluster = await LocalCluster.StartAsync([ClusterNodeOptions.Local(ClusterRoles.Learner, ClusterRoles.Sim)], TimeSpan.FromSeconds(20), s_overrides);
        ActorSystem system = cluster.Nodes[0];
        TestProbe statuses = CreateTestProbe(system);
        system.EventStream.Subscribe(statuses.Ref, typeof(TrainingStatus));
        TestProbe written = CreateTestProbe(system);
        system.EventStream.Subscribe(written.Ref, typeof(EvaluationProtocol.ReportWritten));
        // An update budget of 1 ends training after the first batch: the learner reports convergence.
        var node = LearnerNode.Start(system, Learner with { MaxUpdates = 1 }, Ppo, TinyEvaluation);

        IActorRef singleton = await ResolveSingletonAsync(system);
        RolloutChunk chunk = SampleRollouts.Create(4, 2, ObservationSize, ActionSize, seed: 5, nodeId: "sim-test");
        singleton.Tell(new NodeRegistration("sim-test", 1, 4, ObservationSize, ActionSize), CreateTestProbe(system).Ref);
        singleton.Tell(chunk with { PolicyVersion = 0, Flags = new byte[chunk.TransitionCount] }, CreateTestProbe(system).Ref);

        TrainingStatus converged = await statuses.FishForMessageAsync<TrainingStatus>(s => s.Converged, TimeSpan.FromSeconds(60));
        Assert.Equal(1, converged.PolicyVersion);
        // Nobody asked: convergence alone started it, and the report is announced on the node.
        EvaluationProtocol.ReportWritten report = await written.ExpectMsgAsync<EvaluationProtocol.ReportWritten>(s_evaluation);
        Assert.Equal(1, report.Report.PolicyVersion);

        EndOfRunEvaluation end = await node.FinishEvaluationAsync(converged, CancellationToken.None);
        Assert.Equal(Path.GetFullPath(Path.Combine(_directory, "v1", "report.md")), end.MarkdownPath);
        Assert.StartsWith("policy v1 on test: BioPR MPJPE", end.Note);
    }

    [Fact]
    public async Task At_the_end_of_a_run_that_did_not_converge_evaluate_at_end_asks_for_the_last_policy_and_waits()
    {
        await using LocalCluster cluster = await LocalCluster.StartAsync([ClusterNodeOptions.Local(ClusterRoles.Learner)], TimeSpan.FromSeconds(20), s_overrides);
        ActorSystem system = cluster.Nodes[0];
        var quiet = LearnerNode.Start(system, Learner, Ppo, TinyEvaluation with { AtEnd = true });
        var last = new TrainingStatus(0, 0, 0, 0, 0, Converged: false);

        EndOfRunEvaluation end = await quiet.FinishEvaluationAsync(last, CancellationToken.None);

        Assert.True(File.Exists(end.MarkdownPath), end.Note);
        Assert.Equal(Path.GetFullPath(Path.Combine(_directory, "v0", "report.md")), end.MarkdownPath);
    }

    [Fact]
    public async Task Without_convergence_or_evaluate_at_end_nothing_is_evaluated_and_a_cancelled_wait_says_so()
    {
        await using LocalCluster cluster = await LocalCluster.StartAsync([ClusterNodeOptions.Local(ClusterRoles.Learner)], TimeSpan.FromSeconds(20), s_overrides);
        ActorSystem system = cluster.Nodes[0];
        var node = LearnerNode.Start(system, Learner, Ppo, TinyEvaluation);

        EndOfRunEvaluation notDue = await node.FinishEvaluationAsync(new TrainingStatus(0, 0, 0, 0, 0, Converged: false), CancellationToken.None);
        Assert.Null(notDue.Report);
        Assert.StartsWith("not run: training did not converge", notDue.Note);

        // Converged at a version the actor never gets (no such policy): the wait ends when the host cancels it.
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        EndOfRunEvaluation skipped = await node.FinishEvaluationAsync(new TrainingStatus(99, 99, 0, 0, 0, Converged: true), cancel.Token);
        Assert.StartsWith("skipped", skipped.Note);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static async Task<IActorRef> ResolveSingletonAsync(ActorSystem system)
    {
        // The singleton starts once the node is the oldest learner member; ask until it is there.
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                return await system.ActorSelection(LearnerSingleton.SingletonPath).ResolveOne(TimeSpan.FromSeconds(1));
            }
            catch (ActorNotFoundException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }
}

[CollectionDefinition(LearnerNodeSpec.Name)]
public sealed class LearnerNodeCollection
{
}
