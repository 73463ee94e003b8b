using MsMano.Cluster.Evaluation;

namespace MsMano.Cli.Commands;

/// <summary>
/// The reports written and jobs failed on a learner node so far, collected from the EventStream for a host that
/// waits, outside the actor world, for the evaluation of a given policy version. Thread-safe.
/// </summary>
public sealed class EvaluationOutcomes
{
    private readonly object _gate = new();
    private readonly List<EvaluationProtocol.ReportWritten> _reports = [];
    private readonly List<EvaluationProtocol.EvaluationFailed> _failures = [];
    private EvaluationProtocol.Progress? _progress;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Add(EvaluationProtocol.ReportWritten report)
    {
        lock (_gate)
        {
            _reports.Add(report);
            Signal();
        }
    }

    /// <summary>The running job's latest progress (null before the first).</summary>
    public EvaluationProtocol.Progress? LatestProgress => Volatile.Read(ref _progress);

    public void Add(EvaluationProtocol.Progress progress) => Volatile.Write(ref _progress, progress);

    public void Add(EvaluationProtocol.EvaluationFailed failure)
    {
        lock (_gate)
        {
            _failures.Add(failure);
            Signal();
        }
    }

    /// <summary>
    /// The first report, or failing that the first failure, of a policy at or after <paramref name="version"/>; waits
    /// for one up to <paramref name="timeout"/>. Null when none came in time. Throws when <paramref name="cancel"/> fires.
    /// </summary>
    public async Task<EvaluationOutcome?> WaitForAsync(long version, TimeSpan timeout, CancellationToken cancel)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(timeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (Find(version) is { } outcome)
                {
                    return outcome;
                }
                changed = _changed.Task;
            }
            try
            {
                await changed.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
            {
                return null;
            }
        }
    }

    /// <summary>What <see cref="WaitForAsync"/> would return at once.</summary>
    public EvaluationOutcome? Find(long version)
    {
        lock (_gate)
        {
            EvaluationProtocol.ReportWritten? report = _reports.FirstOrDefault(r => r.Report.PolicyVersion >= version);
            EvaluationProtocol.EvaluationFailed? failure = _failures.FirstOrDefault(f => f.PolicyVersion >= version);
            return report is not null || failure is not null ? new EvaluationOutcome(report, report is null ? failure : null) : null;
        }
    }

    // Wakes every waiter; the next wait takes a fresh task.
    private void Signal()
    {
        _changed.TrySetResult();
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>A report written (<see cref="Report"/>) or a job failed (<see cref="Failure"/>); exactly one is set.</summary>
public sealed record EvaluationOutcome(EvaluationProtocol.ReportWritten? Report, EvaluationProtocol.EvaluationFailed? Failure);
