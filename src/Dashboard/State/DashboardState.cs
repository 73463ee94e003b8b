using MsMano.Contracts.Monitoring;

namespace MsMano.Dashboard.State;

/// <summary>One PPO update as the reward and KL curves plot it.</summary>
public sealed record UpdatePoint(long Update, long PolicyVersion, double Seconds, double MeanReward, double? ApproxKl, double BusyShare);

/// <summary>One training snapshot as the throughput curves plot it: agent-steps/s per node id at a moment.</summary>
public sealed record ThroughputPoint(double Seconds, IReadOnlyDictionary<string, double> AgentStepsPerSecond, double BusyShare);

/// <summary>The last evaluation report: its table, and the plot files the page may fetch by index.</summary>
public sealed record EvaluationView(string Title, long PolicyVersion, IReadOnlyList<EvaluationRow> Rows, string? Markdown, string? MarkdownPath, IReadOnlyList<string> PlotPaths, DateTimeOffset At);

/// <summary>One metric cell of the report's table.</summary>
public sealed record EvaluationRow(string Method, string Split, string Name, double Value, string Unit);

/// <summary>A failed evaluation job.</summary>
public sealed record EvaluationFailure(long PolicyVersion, string Reason, DateTimeOffset At);

/// <summary>
/// What the dashboard knows, written by the feed (actor threads) and read by HTTP handlers (thread pool). Writers swap
/// immutable records under a lock and bump <see cref="Revision"/>; readers copy out; Server-Sent Events wait on
/// <see cref="WaitForChangeAsync"/>. Histories are bounded so a run of days keeps a fixed footprint.
/// </summary>
public sealed class DashboardState
{
    public const int MaxUpdatePoints = 4096;
    public const int MaxThroughputPoints = 900;

    private readonly object _gate = new();
    private readonly Queue<UpdatePoint> _updates = new();
    private readonly Queue<ThroughputPoint> _throughput = new();
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TrainingSnapshot? _training;
    private double _trainingAt;
    private double _updatesPerSecond;
    private (long Updates, double Seconds)? _rateAnchor;
    private EvaluationView? _evaluation;
    private EvaluationFailure? _evaluationFailure;
    private long _revision;

    public DashboardState(bool evaluationEnabled = false)
    {
        EvaluationEnabled = evaluationEnabled;
    }

    public bool EvaluationEnabled { get; }

    public DateTimeOffset Started => _started;

    public long Revision => Interlocked.Read(ref _revision);

    public TrainingSnapshot? Training
    {
        get
        {
            lock (_gate)
            {
                return _training;
            }
        }
    }

    /// <summary>Updates per second over the last minute or so (0 until two snapshots with different update counts).</summary>
    public double UpdatesPerSecond
    {
        get
        {
            lock (_gate)
            {
                return _updatesPerSecond;
            }
        }
    }

    /// <summary>Seconds since the dashboard started when the last snapshot arrived.</summary>
    public double TrainingAt
    {
        get
        {
            lock (_gate)
            {
                return _trainingAt;
            }
        }
    }

    public EvaluationView? Evaluation
    {
        get
        {
            lock (_gate)
            {
                return _evaluation;
            }
        }
    }

    public EvaluationFailure? EvaluationFailure
    {
        get
        {
            lock (_gate)
            {
                return _evaluationFailure;
            }
        }
    }

    public double Now => (DateTimeOffset.UtcNow - _started).TotalSeconds;

    public IReadOnlyList<UpdatePoint> UpdateHistory()
    {
        lock (_gate)
        {
            return [.. _updates];
        }
    }

    public IReadOnlyList<ThroughputPoint> ThroughputHistory()
    {
        lock (_gate)
        {
            return [.. _throughput];
        }
    }

    public void Record(TrainingSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        double now = Now;
        lock (_gate)
        {
            long previousUpdates = _training?.Updates ?? -1;
            _training = snapshot;
            _trainingAt = now;
            if (snapshot.Updates != previousUpdates && snapshot.Updates > 0 && double.IsFinite(snapshot.MeanReward))
            {
                Push(_updates, new UpdatePoint(snapshot.Updates, snapshot.PolicyVersion, now, snapshot.MeanReward, Finite(snapshot.ApproxKl), snapshot.BusyShare), MaxUpdatePoints);
            }
            Push(_throughput, new ThroughputPoint(now, snapshot.Nodes.ToDictionary(n => n.NodeId, n => double.IsFinite(n.AgentStepsPerSecond) ? n.AgentStepsPerSecond : 0.0), snapshot.BusyShare), MaxThroughputPoints);
            // Rate over a sliding anchor: re-anchored every 60 s so it follows the recent pace.
            if (_rateAnchor is not { } anchor || snapshot.Updates < anchor.Updates)
            {
                _rateAnchor = (snapshot.Updates, now);
            }
            else if (now - anchor.Seconds > 0.5)
            {
                _updatesPerSecond = (snapshot.Updates - anchor.Updates) / (now - anchor.Seconds);
                if (now - anchor.Seconds > 60)
                {
                    _rateAnchor = (snapshot.Updates, now);
                }
            }
        }
        Changed();
    }

    public void Record(EvaluationView evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        lock (_gate)
        {
            _evaluation = evaluation;
        }
        Changed();
    }

    public void Record(EvaluationFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        lock (_gate)
        {
            _evaluationFailure = failure;
        }
        Changed();
    }

    /// <summary>Completes when <see cref="Revision"/> moves past <paramref name="seen"/>, or the token fires.</summary>
    public async Task WaitForChangeAsync(long seen, CancellationToken cancel)
    {
        Task changed;
        lock (_gate)
        {
            if (Revision != seen)
            {
                return;
            }
            changed = _changed.Task;
        }
        await changed.WaitAsync(cancel).ConfigureAwait(false);
    }

    private void Changed()
    {
        TaskCompletionSource done;
        lock (_gate)
        {
            Interlocked.Increment(ref _revision);
            done = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        done.TrySetResult();
    }

    private static void Push<T>(Queue<T> queue, T item, int max)
    {
        queue.Enqueue(item);
        while (queue.Count > max)
        {
            queue.Dequeue();
        }
    }

    private static double? Finite(double? value) => value is double v && double.IsFinite(v) ? v : null;
}
