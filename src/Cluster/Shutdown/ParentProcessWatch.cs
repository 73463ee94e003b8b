using System.Diagnostics;

namespace MsMano.Cluster.Shutdown;

/// <summary>
/// Cancels a token when a given parent process has gone, so node processes launched by a tool (cluster-bench)
/// leave the cluster and exit even when the tool itself was killed with SIGKILL and could not clean up: no orphans.
/// Polls, because Linux offers no portable parent-death notification to managed code.
/// </summary>
public sealed class ParentProcessWatch : IDisposable
{
    private readonly CancellationTokenSource _gone = new();
    private readonly Timer _timer;
    private readonly int _parentId;
    private readonly DateTime _parentStart;

    private ParentProcessWatch(int parentId, DateTime parentStart, TimeSpan interval)
    {
        _parentId = parentId;
        _parentStart = parentStart;
        _timer = new Timer(_ => Check(), null, interval, interval);
    }

    /// <summary>Cancelled once the parent has exited.</summary>
    public CancellationToken ParentGone => _gone.Token;

    /// <summary>Watches <paramref name="parentId"/>; an id that is already gone cancels at once.</summary>
    public static ParentProcessWatch Start(int parentId, TimeSpan? interval = null)
    {
        DateTime start = DateTime.MinValue;
        try
        {
            using var parent = Process.GetProcessById(parentId);
            start = parent.StartTime;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            var watch = new ParentProcessWatch(parentId, start, Timeout.InfiniteTimeSpan);
            watch._gone.Cancel();
            return watch;
        }
        return new ParentProcessWatch(parentId, start, interval ?? TimeSpan.FromSeconds(1));
    }

    public void Dispose()
    {
        _timer.Dispose();
        _gone.Dispose();
    }

    private void Check()
    {
        bool alive;
        try
        {
            using var parent = Process.GetProcessById(_parentId);
            // A recycled pid belongs to another process with a different start time.
            alive = !parent.HasExited && parent.StartTime == _parentStart;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            alive = false;
        }
        if (alive)
        {
            return;
        }
        try
        {
            _gone.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // A last tick racing Dispose: nobody is listening any more.
        }
    }
}
