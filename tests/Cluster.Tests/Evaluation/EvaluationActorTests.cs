using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using MessagePack;
using MsMano.Cluster.Evaluation;
using MsMano.Contracts.Evaluation;
using MsMano.Contracts.Policy;
using MsMano.Contracts.Training;
using MsMano.Evaluation.Benchmark;
using MsMano.Evaluation.Metrics;
using MsMano.Evaluation.Reports;
using MsMano.TestSupport;
using TorchSharp;
using ClusterReport = MsMano.Contracts.Evaluation.EvaluationReport;
using LocalReport = MsMano.Evaluation.Reports.EvaluationReport;

namespace MsMano.Cluster.Tests.Evaluation;

[Collection("Torch")]
public sealed class EvaluationActorTests : TestKit
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(120);

    [Fact]
    public void Replies_to_a_request_with_the_report_of_the_real_benchmark()
    {
        torch.set_num_threads(2);
        using var dir = new TempDir();
        TestProbe published = CreateTestProbe();
        Sys.EventStream.Subscribe(published.Ref, typeof(ClusterReport));
        IActorRef actor = Sys.ActorOf(EvaluationActor.Props(new EvaluationActorSettings { Job = TinyBenchmark.Job(dir.Path) }));

        actor.Tell(new EvaluationProtocol.UsePolicy(TestPolicies.Random() with { Version = 7 }));
        actor.Tell(new RequestEvaluation("test", MinimumPolicyVersion: 7, MaxSequences: 1));

        ClusterReport report = ExpectMsg<ClusterReport>(Long);
        Assert.Equal(7, report.PolicyVersion);
        Assert.Contains("SYNTHETIC", report.Markdown);
        Assert.Contains(report.Metrics, m => m.Method == BenchmarkMethods.BioPr && m.Name == "AE");
        report.Validate();
        Assert.Equal(report, published.ExpectMsg<ClusterReport>());
        Assert.True(File.Exists(Path.Combine(dir.Path, "v7", "report.md")));
    }

    [Fact]
    public void Waits_for_a_policy_of_the_requested_version()
    {
        var calls = new List<long>();
        IActorRef actor = Sys.ActorOf(EvaluationActor.Props(new EvaluationActorSettings(), run: Fake(calls)));
        actor.Tell(new RequestEvaluation("test", MinimumPolicyVersion: 5, MaxSequences: 0));
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        actor.Tell(new EvaluationProtocol.UsePolicy(TestPolicies.Random() with { Version = 4 }));
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        actor.Tell(new EvaluationProtocol.UsePolicy(TestPolicies.Random() with { Version = 5 }));
        Assert.Equal(5, ExpectMsg<ClusterReport>().PolicyVersion);
        Assert.Equal([5L], calls);
        actor.Tell(EvaluationProtocol.GetState.Instance);
        Assert.Equal(new EvaluationProtocol.EvaluationState(5, false, 0, 1, 0), ExpectMsg<EvaluationProtocol.EvaluationState>());
    }

    [Fact]
    public void Convergence_triggers_one_evaluation_per_version_published_to_the_sink()
    {
        var calls = new List<long>();
        TestProbe sink = CreateTestProbe();
        IActorRef actor = Sys.ActorOf(EvaluationActor.Props(new EvaluationActorSettings(), sink.Ref, Fake(calls)));
        actor.Tell(new EvaluationProtocol.UsePolicy(TestPolicies.Random() with { Version = 9 }));
        actor.Tell(new TrainingStatus(9, 100, 1_000_000, 0.6, 9000, Converged: false));
        sink.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        actor.Tell(new TrainingStatus(9, 101, 1_016_384, 0.6, 9000, Converged: true));
        actor.Tell(new TrainingStatus(9, 101, 1_016_384, 0.6, 9000, Converged: true));
        Assert.Equal(9, sink.ExpectMsg<ClusterReport>().PolicyVersion);
        sink.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Equal([9L], calls);
        ExpectNoMsg(TimeSpan.FromMilliseconds(50)); // nobody asked, so nobody is answered
    }

    [Fact]
    public void A_convergence_job_scores_the_configured_test_sequences_and_announces_its_files()
    {
        var sequences = new List<int>();
        TestProbe announced = CreateTestProbe();
        Sys.EventStream.Subscribe(announced.Ref, typeof(EvaluationProtocol.ReportWritten));
        var settings = new EvaluationActorSettings { Job = new EvaluationJobOptions { Benchmark = new BenchmarkOptions { MaxTestSequences = 3 } } };
        EvaluationActor.Runner run = (options, policy, cancellation) =>
        {
            lock (sequences)
            {
                sequences.Add(options.Benchmark.MaxTestSequences);
            }

            return Fake([])(options, policy, cancellation);
        };
        IActorRef actor = Sys.ActorOf(EvaluationActor.Props(settings, run: run));
        actor.Tell(new EvaluationProtocol.UsePolicy(TestPolicies.Random() with { Version = 4 }));
        actor.Tell(new TrainingStatus(4, 4, 65_536, 0.6, 9000, Converged: true));

        EvaluationProtocol.ReportWritten written = announced.ExpectMsg<EvaluationProtocol.ReportWritten>();
        Assert.Equal((4L, "r.md"), (written.Report.PolicyVersion, written.Files.Markdown));
        actor.Tell(new RequestEvaluation("test", 4, MaxSequences: 1));
        ExpectMsg<ClusterReport>();
        Assert.Equal([3, 1], sequences);
    }

    [Fact]
    public void A_failed_job_is_announced_on_the_event_stream()
    {
        TestProbe announced = CreateTestProbe();
        Sys.EventStream.Subscribe(announced.Ref, typeof(EvaluationProtocol.EvaluationFailed));
        IActorRef actor = Sys.ActorOf(EvaluationActor.Props(new EvaluationActorSettings(), run: (_, _, _) => throw new InvalidOperationException("no data here")));
        actor.Tell(new EvaluationProtocol.UsePolicy(TestPolicies.Random() with { Version = 2 }));
        actor.Tell(new TrainingStatus(2, 2, 100, 0.1, 10, Converged: true));

        Assert.Equal(new EvaluationProtocol.EvaluationFailed(2, "no data here"), announced.ExpectMsg<EvaluationProtocol.EvaluationFailed>());
    }

    [Fact]
    public void Policy_arrives_as_chunks_from_the_learner()
    {
        var calls = new List<long>();
        IActorRef actor = Sys.ActorOf(EvaluationActor.Props(new EvaluationActorSettings(), run: Fake(calls)));
        byte[] bytes = MessagePackSerializer.Serialize(TestPolicies.Random() with { Version = 12 });
        foreach (PolicyWeightsChunk chunk in PolicyWeightsChunker.Split(12, bytes, chunkSize: 50_000).Reverse())
        {
            actor.Tell(chunk);
        }

        actor.Tell(new RequestEvaluation("test", 12, 0));
        Assert.Equal(12, ExpectMsg<ClusterReport>().PolicyVersion);
    }

    [Fact]
    public void Failures_and_bad_requests_answer_with_a_failure()
    {
        IActorRef actor = Sys.ActorOf(EvaluationActor.Props(new EvaluationActorSettings(), run: (_, _, _) => throw new InvalidOperationException("no data here")));
        actor.Tell(new RequestEvaluation("train", 0, 0));
        Assert.Contains("'train'", ExpectMsg<Status.Failure>().Cause.Message);
        actor.Tell(new RequestEvaluation("", 0, 0));
        Assert.Contains("Split", ExpectMsg<Status.Failure>().Cause.Message);

        actor.Tell(new EvaluationProtocol.UsePolicy(TestPolicies.Random()));
        actor.Tell(new RequestEvaluation("test", 0, 0));
        Assert.Equal("no data here", ExpectMsg<Status.Failure>().Cause.Message);
        actor.Tell(EvaluationProtocol.GetState.Instance);
        Assert.Equal(1, ExpectMsg<EvaluationProtocol.EvaluationState>().Failed);
    }

    [Fact]
    public void The_request_queue_holds_sixteen_and_refuses_and_logs_the_seventeenth()
    {
        var calls = new List<long>();
        IActorRef actor = Sys.ActorOf(EvaluationActor.Props(new EvaluationActorSettings(), run: Fake(calls)));
        // No policy yet: every request waits in the queue.
        for (int i = 0; i < 16; i++)
        {
            actor.Tell(new RequestEvaluation("test", MinimumPolicyVersion: 5, MaxSequences: 0));
        }
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        EventFilter.Warning(contains: "16 requests are already waiting").ExpectOne(() =>
            actor.Tell(new RequestEvaluation("test", MinimumPolicyVersion: 5, MaxSequences: 0)));
        Assert.Contains("evaluation queue is full", ExpectMsg<Status.Failure>().Cause.Message);
        actor.Tell(EvaluationProtocol.GetState.Instance);
        Assert.Equal(16, ExpectMsg<EvaluationProtocol.EvaluationState>().Pending);

        // The sixteen queued requests are all served once a policy arrives; the refused one is not.
        actor.Tell(new EvaluationProtocol.UsePolicy(TestPolicies.Random() with { Version = 5 }));
        for (int i = 0; i < 16; i++)
        {
            Assert.Equal(5, ExpectMsg<ClusterReport>().PolicyVersion);
        }
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    // A stand-in evaluation: records the policy version and returns a one-row report, no simulation or training.
    private static EvaluationActor.Runner Fake(List<long> calls) => (options, policy, _) =>
    {
        lock (calls)
        {
            calls.Add(policy.Version);
        }

        var summary = new MetricSummary(3, 10, 5, 0.8, 0.9, 2, new double[21], new double[3]);
        var report = new LocalReport("fake", "synthetic", true, [new MethodResult(BenchmarkMethods.Base, summary)]);
        var benchmark = new BenchmarkResult(report, policy.Version, 2, [], 1, new BenchmarkVerdict(0, 0, 0, 0));
        return new EvaluationJobResult(benchmark, new ReportFiles("r.md", "r.html", []), ReportMessage.From(report, policy.Version, options.Split, "# fake"));
    };
}
