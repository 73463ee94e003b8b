using System.Collections.Concurrent;

namespace MsMano.Cluster.Workers;

/// <summary>
/// One background thread that runs submitted work items in order and completes a task per item. Actors hand it
/// their long CPU work (physics collections, PPO updates) and pipe the task back to themselves, so they stay
/// responsive to acks, weights and cluster events. A dedicated thread rather than the thread pool: the work is
/// tens of ms to seconds per item, which would starve the pool that Akka's own dispatcher runs on, and native
/// libraries (TorchSharp) behave best when one thread owns their state.
/// </summary>
public sealed class DedicatedWorker : IDisposable
{
    private readonly BlockingCollection<Action> _queue = new();
    private readonly Thread _thread;
    private int _disposed;

    public DedicatedWorker(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        _thread = new Thread(Loop) { IsBackground = true, Name = name };
        _thread.Start();
    }

    public string Name { get; }

    /// <summary>Queues <paramref name="work"/>; the task completes with its result or its exception.</summary>
    public Task<T> Run<T>(Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        // Continuations run elsewhere so the worker thread never executes an actor's PipeTo callback inline.
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            _queue.Add(() =>
            {
                try
                {
                    completion.TrySetResult(work());
                }
                catch (Exception ex)
                {
                    completion.TrySetException(ex);
                }
            });
        }
        catch (InvalidOperationException)
        {
            completion.TrySetException(new ObjectDisposedException(Name, "the worker has been stopped"));
        }
        return completion.Task;
    }

    /// <summary>Stops accepting work, lets queued items finish, then ends the thread (bounded by <paramref name="timeout"/>).</summary>
    public bool Stop(TimeSpan timeout)
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _queue.CompleteAdding();
        }
        return Thread.CurrentThread == _thread || _thread.Join(timeout);
    }

    public void Dispose()
    {
        Stop(TimeSpan.FromSeconds(30));
    }

    private void Loop()
    {
        foreach (Action item in _queue.GetConsumingEnumerable())
        {
            item();
        }
    }
}
