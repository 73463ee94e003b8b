using System.Diagnostics;
using Akka.Event;
using MsMano.Evaluation.Benchmark;
using Serilog;

namespace MsMano.Cluster.Evaluation;

/// <summary>
/// A job's <see cref="IBenchmarkProgress"/> as <see cref="EvaluationProtocol.Progress"/> on the node's EventStream
/// (at most every <see cref="Interval"/>, and at every stage change), with one log line per finished stage and its
/// duration, so a long evaluation shows where its time goes. Called from the job's thread only.
/// </summary>
public sealed class EvaluationProgressPublisher : IBenchmarkProgress
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly EventStream _stream;
    private readonly long _version;
    private readonly Stopwatch _stageClock = new();
    private readonly Stopwatch _sinceSent = new();
    private string? _stage;
    private int _number;
    private long _done;
    private long _total;

    public EvaluationProgressPublisher(EventStream stream, long policyVersion)
    {
        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
        _version = policyVersion;
    }

    public void Begin(string stage, long total)
    {
        Finish();
        _stage = stage;
        _number++;
        _done = 0;
        _total = Math.Max(0, total);
        _stageClock.Restart();
        Publish();
    }

    public void Advance(long amount)
    {
        _done = Math.Min(_total, _done + amount);
        if (_sinceSent.Elapsed >= Interval || _done == _total)
        {
            Publish();
        }
    }

    /// <summary>Logs the running stage's duration (the next Begin, or the job's end, calls it).</summary>
    public void Finish()
    {
        if (_stage is not null)
        {
            Log.Information("Evaluation of v{Version}, stage {Number} '{Stage}': {Seconds:F1} s", _version, _number, _stage, _stageClock.Elapsed.TotalSeconds);
            _stage = null;
        }
    }

    private void Publish()
    {
        _sinceSent.Restart();
        _stream.Publish(new EvaluationProtocol.Progress(_version, _number, _stage ?? "", _done, _total));
    }
}
