using System.Globalization;
using Akka.Actor;
using Akka.Event;
using MessagePack;
using MsMano.Cluster.Trust;
using MsMano.Contracts.Evaluation;
using MsMano.Contracts.Messaging;
using MsMano.Contracts.Policy;
using MsMano.Contracts.Training;
using MsMano.Evaluation.Benchmark;
using MsMano.Evaluation.Reports;
using ClusterReport = MsMano.Contracts.Evaluation.EvaluationReport;

namespace MsMano.Cluster.Evaluation;

/// <summary>
/// Runs the BioPR evaluation (RefineNet training, scoring, report) inside the cluster. It keeps the newest policy it is
/// given (<see cref="EvaluationProtocol.UsePolicy"/> in-process, or reassembled <see cref="PolicyWeightsChunk"/>s), and
/// evaluates on a <see cref="RequestEvaluation"/> (once a policy of at least MinimumPolicyVersion is present) or when a
/// <see cref="TrainingStatus"/> reports convergence (once per version). The work runs on the thread pool and comes back
/// with PipeTo, so the actor keeps answering; jobs run one at a time in arrival order. Each finished
/// <see cref="ClusterReport"/> goes to the requester, to the EventStream (the node's pub-sub, together with
/// <see cref="EvaluationProtocol.ReportWritten"/> naming the files) and to an optional sink (e.g. a topic publisher);
/// a failed job answers the requester with Status.Failure naming the cause and publishes
/// <see cref="EvaluationProtocol.EvaluationFailed"/>. A convergence-triggered job scores at most the configured
/// MaxTestSequences of the job's benchmark options.
/// </summary>
public sealed class EvaluationActor : ReceiveActor
{
    /// <summary>What an evaluation does; the default is <see cref="EvaluationJob.Run"/>.</summary>
    public delegate EvaluationJobResult Runner(EvaluationJobOptions options, PolicySnapshot policy, CancellationToken cancellation);

    private static readonly MessagePackSerializerOptions Untrusted = MessagePackSerializerOptions.Standard.WithSecurity(MessagePackSecurity.UntrustedData);

    private readonly EvaluationActorSettings _settings;
    private readonly IActorRef? _sink;
    private readonly Runner _run;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Akka.Cluster.Cluster? _cluster = ClusterMembers.TryGet(Context.System);
    private readonly SenderGate _localGate;
    private readonly SenderGate _requestGate;
    private readonly PolicyWeightsReassembler _weights;
    private readonly List<Job> _pending = [];
    private readonly HashSet<long> _convergedVersions = [];
    private readonly CancellationTokenSource _stopping = new();
    private PolicySnapshot? _policy;
    private Job? _running;
    private int _completed;
    private int _failed;

    public EvaluationActor(EvaluationActorSettings settings, IActorRef? reportSink = null, Runner? run = null)
    {
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _sink = reportSink;
        EventStream stream = Context.System.EventStream;
        _run = run ?? (Runner)((options, policy, cancellation) =>
        {
            var progress = new EvaluationProgressPublisher(stream, policy.Version);
            try
            {
                return EvaluationJob.Run(options, policy, progress, cancellation);
            }
            finally
            {
                progress.Finish();
            }
        });
        _weights = new PolicyWeightsReassembler(settings.MaxPolicyBytes);
        _localGate = new SenderGate("policy or training status", _log);
        _requestGate = new SenderGate("evaluation request", _log);

        // Policies and training status come from this node's learner (the EventStream), never over the network.
        Receive<EvaluationProtocol.UsePolicy>(m => FromThisNode(() => Adopt(m.Snapshot)));
        Receive<PolicyWeightsChunk>(m => FromThisNode(() => OnChunk(m)));
        Receive<RequestEvaluation>(OnRequest);
        Receive<TrainingStatus>(m => FromThisNode(() => OnStatus(m)));
        Receive<Finished>(OnFinished);
        Receive<Failed>(OnFailed);
        Receive<EvaluationProtocol.GetState>(_ => Sender.Tell(new EvaluationProtocol.EvaluationState(_policy?.Version ?? -1, _running is not null, _pending.Count, _completed, _failed)));
    }

    public static Props Props(EvaluationActorSettings settings, IActorRef? reportSink = null, Runner? run = null) =>
        Akka.Actor.Props.Create(() => new EvaluationActor(settings, reportSink, run));

    protected override void PostStop()
    {
        // A running job sees the token at its next frame or iteration and stops; its late result goes to dead letters.
        _stopping.Cancel();
        _stopping.Dispose();
        base.PostStop();
    }

    private void Adopt(PolicySnapshot snapshot)
    {
        try
        {
            snapshot.Validate();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or ContractValidationException)
        {
            _log.Warning("Ignoring policy version {0}: {1}", snapshot.Version, e.Message);
            return;
        }

        if (_policy is not null && snapshot.Version < _policy.Version)
        {
            _log.Debug("Ignoring policy version {0}; version {1} is newer", snapshot.Version, _policy.Version);
            return;
        }

        _policy = snapshot;
        TryStart();
    }

    private void OnChunk(PolicyWeightsChunk chunk)
    {
        ReassemblyResult result = _weights.Accept(chunk);
        switch (result.Status)
        {
            case ReassemblyStatus.Rejected:
                _log.Warning("Policy chunk of version {0} rejected: {1}", result.Version, result.Reason);
                return;
            case ReassemblyStatus.Pending:
                return;
        }

        PolicySnapshot snapshot;
        try
        {
            snapshot = MessagePackSerializer.Deserialize<PolicySnapshot>(result.Snapshot, Untrusted);
        }
        catch (MessagePackSerializationException e)
        {
            _log.Warning("Policy version {0} could not be read: {1}", result.Version, e.Message);
            return;
        }

        Adopt(snapshot);
    }

    private void FromThisNode(Action handle)
    {
        if (_localGate.Admit(Sender, ClusterMembers.IsLocal(Sender), "only this node's learner may send it"))
        {
            handle();
        }
    }

    private void OnRequest(RequestEvaluation request)
    {
        if (!_requestGate.Admit(Sender, _cluster is null || ClusterMembers.IsLocal(Sender) || ClusterMembers.HasAnyRole(_cluster, Sender, _settings.RequestRoles),
                $"not a member with a role in [{string.Join(", ", _settings.RequestRoles)}]"))
        {
            return;
        }
        if (_pending.Count(j => !j.Requester.IsNobody()) >= _settings.MaxPendingRequests)
        {
            _log.Warning("Refused an evaluation request from {0}: {1} requests are already waiting", Sender.Path, _settings.MaxPendingRequests);
            Sender.Tell(new Status.Failure(new InvalidOperationException($"the evaluation queue is full ({_settings.MaxPendingRequests} waiting); retry later")));
            return;
        }
        try
        {
            request.Validate();
            if (request.Split != _settings.Job.Split)
            {
                throw new ContractValidationException(nameof(RequestEvaluation), nameof(request.Split), request.Split, $"is not supported; this actor trains RefineNet on the training split and scores '{_settings.Job.Split}'");
            }
        }
        catch (ContractValidationException e)
        {
            Sender.Tell(new Status.Failure(e));
            return;
        }

        _pending.Add(new Job(request, Sender));
        TryStart();
    }

    private void OnStatus(TrainingStatus status)
    {
        if (!_settings.EvaluateOnConvergence || !status.Converged || !_convergedVersions.Add(status.PolicyVersion))
        {
            return;
        }

        _log.Info("Training converged at policy version {0}; evaluation queued", status.PolicyVersion);
        _pending.Add(new Job(new RequestEvaluation(_settings.Job.Split, status.PolicyVersion, _settings.Job.Benchmark.MaxTestSequences), ActorRefs.Nobody));
        TryStart();
    }

    private void TryStart()
    {
        if (_running is not null || _policy is null)
        {
            return;
        }

        PolicySnapshot policy = _policy;
        Job? job = _pending.FirstOrDefault(j => j.Request.MinimumPolicyVersion <= policy.Version);
        if (job is null)
        {
            return;
        }

        _pending.Remove(job);
        _running = job;
        EvaluationJobOptions options = _settings.Job with
        {
            OutputDirectory = _settings.FolderPerVersion
                ? Path.Combine(_settings.Job.OutputDirectory, string.Create(CultureInfo.InvariantCulture, $"v{policy.Version}"))
                : _settings.Job.OutputDirectory,
            Benchmark = _settings.Job.Benchmark with { MaxTestSequences = job.Request.MaxSequences },
        };
        _log.Info("Evaluating policy version {0} on {1} ({2}) into {3}", policy.Version, options.Dataset, job.Request.Split, options.OutputDirectory);
        Runner run = _run;
        CancellationToken token = _stopping.Token;
        Task.Run(() => run(options, policy, token), token)
            .PipeTo(Self, success: result => new Finished(job, result), failure: e => new Failed(job, policy.Version, e));
    }

    private void OnFinished(Finished finished)
    {
        _running = null;
        _completed++;
        ClusterReport report = finished.Result.Message;
        _log.Info("Evaluation done, {0}; report {1}", ReportHeadline.Describe(report), Path.GetFullPath(finished.Result.Files.Markdown));
        if (!finished.Job.Requester.IsNobody())
        {
            finished.Job.Requester.Tell(report);
        }

        Context.System.EventStream.Publish(report);
        Context.System.EventStream.Publish(new EvaluationProtocol.ReportWritten(report, finished.Result.Files));
        _sink?.Tell(report);
        TryStart();
    }

    private void OnFailed(Failed failed)
    {
        _running = null;
        _failed++;
        Exception cause = failed.Cause is AggregateException { InnerException: { } inner } ? inner : failed.Cause;
        _log.Error(cause, "Evaluation of policy version {0} failed", failed.PolicyVersion);
        if (!failed.Job.Requester.IsNobody())
        {
            failed.Job.Requester.Tell(new Status.Failure(cause));
        }

        Context.System.EventStream.Publish(new EvaluationProtocol.EvaluationFailed(failed.PolicyVersion, cause.Message));
        TryStart();
    }

    private sealed record Job(RequestEvaluation Request, IActorRef Requester);

    private sealed record Finished(Job Job, EvaluationJobResult Result) : INoSerializationVerificationNeeded;

    private sealed record Failed(Job Job, long PolicyVersion, Exception Cause) : INoSerializationVerificationNeeded;
}
