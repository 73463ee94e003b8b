using System.Globalization;
using Akka.Actor;
using MsMano.Cluster.Evaluation;
using MsMano.Cluster.Learner;
using MsMano.Contracts.Evaluation;
using MsMano.Contracts.Training;
using MsMano.Evaluation.Reports;
using MsMano.Learning.Ppo;
using Serilog;

namespace MsMano.Cli.Commands;

/// <summary>
/// The learner's node as the <c>embedded</c> and <c>learner</c> commands compose it: the learner singleton and, when
/// evaluation is enabled, the evaluation actor beside it on the same ActorSystem (<see cref="EvaluationHost"/> says
/// why there), plus the end-of-run step that waits for the final policy's report.
/// </summary>
public sealed class LearnerNode
{
    private readonly EvaluationOutcomes _outcomes;

    private LearnerNode(IActorRef learner, IActorRef? evaluation, EvaluationSettings settings, EvaluationOutcomes outcomes)
    {
        Learner = learner;
        Evaluation = evaluation;
        EvaluationSettings = settings;
        _outcomes = outcomes;
    }

    /// <summary>The learner's singleton manager.</summary>
    public IActorRef Learner { get; }

    /// <summary>The evaluation actor; null when evaluation is disabled.</summary>
    public IActorRef? Evaluation { get; }

    public EvaluationSettings EvaluationSettings { get; }

    /// <summary>The running evaluation's latest progress (null before the first job starts).</summary>
    public EvaluationProtocol.Progress? EvaluationProgress => _outcomes.LatestProgress;

    public static LearnerNode Start(ActorSystem system, LearnerSettings learner, PpoConfig ppo, EvaluationSettings evaluation, LearningMode learning = LearningMode.Central)
    {
        ArgumentNullException.ThrowIfNull(system);
        evaluation.Validate();
        var outcomes = new EvaluationOutcomes();
        IActorRef? evaluator = null;
        if (evaluation.Enabled)
        {
            // Before the learner, so the evaluation actor is subscribed when the first weights are published.
            evaluator = EvaluationHost.Start(system, evaluation);
            EvaluationHost.ListenForOutcomes(system, outcomes.Add, outcomes.Add, onProgress: outcomes.Add);
        }
        IActorRef manager = LearnerHost.Start(system, learner, ppo, learning, new MsMano.Cluster.Learner.DataParallel.DataParallelSettings());
        return new LearnerNode(manager, evaluator, evaluation, outcomes);
    }

    /// <summary>True when <see cref="FinishEvaluationAsync"/> will wait for a report after training ended at <paramref name="last"/>.</summary>
    public bool WillEvaluate(TrainingStatus? last)
    {
        return Evaluation is not null && last is not null && ((last.Converged && EvaluationSettings.OnConvergence) || EvaluationSettings.AtEnd);
    }

    /// <summary>
    /// At the end of a run (<paramref name="last"/> is the learner's last status): waits for the evaluation that
    /// convergence started or, with <see cref="EvaluationSettings.AtEnd"/>, asks for one of the last policy; bounded
    /// by <see cref="EvaluationSettings.Timeout"/> and <paramref name="cancel"/>. Never throws for an evaluation that
    /// fails, times out or is cancelled: the result says so.
    /// </summary>
    public async Task<EndOfRunEvaluation> FinishEvaluationAsync(TrainingStatus? last, CancellationToken cancel)
    {
        if (Evaluation is null)
        {
            return new EndOfRunEvaluation(null, "off");
        }
        if (last is null)
        {
            return new EndOfRunEvaluation(null, "not run: the learner never reported");
        }
        if (!WillEvaluate(last))
        {
            return new EndOfRunEvaluation(null, "not run: training did not converge (--evaluate-at-end evaluates the last policy)");
        }

        long version = last.PolicyVersion;
        bool converged = last.Converged && EvaluationSettings.OnConvergence;
        if (!converged && _outcomes.Find(version) is null)
        {
            // Nobody as sender: the report comes back through the EventStream, so the actor need not answer.
            var request = new RequestEvaluation(EvaluationSettings.ToActorSettings().Job.Split, version, EvaluationSettings.MaxTestSequences);
            Evaluation.Tell(request, ActorRefs.Nobody);
        }
        Log.Information(
            "Waiting up to {Timeout} for the evaluation of policy v{Version} ({Why}); Ctrl-C skips it",
            EvaluationSettings.Timeout, version, converged ? "training converged" : "requested at the end of the run");

        EvaluationOutcome? outcome;
        try
        {
            outcome = await _outcomes.WaitForAsync(version, EvaluationSettings.Timeout, cancel).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return new EndOfRunEvaluation(null, "skipped: stopped while the evaluation ran (it is cancelled as the node leaves)");
        }

        if (outcome is null)
        {
            return new EndOfRunEvaluation(null, string.Create(CultureInfo.InvariantCulture,
                $"timed out after {EvaluationSettings.Timeout} (the job is cancelled as the node leaves)"));
        }
        if (outcome.Report is not { } report)
        {
            return new EndOfRunEvaluation(null, $"failed: {outcome.Failure!.Reason}");
        }
        return new EndOfRunEvaluation(report, ReportHeadline.Describe(report.Report));
    }
}

/// <summary>What the end-of-run evaluation came to: the report written, or null with the reason in <see cref="Note"/>.</summary>
public sealed record EndOfRunEvaluation(EvaluationProtocol.ReportWritten? Report, string Note)
{
    /// <summary>Full path of the markdown report, if one was written.</summary>
    public string? MarkdownPath => Report is null ? null : Path.GetFullPath(Report.Files.Markdown);
}
