using System.Runtime.InteropServices;
using Akka.Actor;

namespace MsMano.Cluster.Shutdown;

/// <summary>
/// Turns SIGTERM (Kubernetes), SIGINT (Ctrl-C) and SIGQUIT into Akka's coordinated shutdown, which leaves the
/// cluster gracefully before the ActorSystem terminates. The default signal action (kill the process at once) is
/// cancelled so the leave can finish; the host exits when the system has terminated.
/// </summary>
public sealed class ShutdownSignals : IDisposable
{
    private readonly List<PosixSignalRegistration> _registrations = [];
    private readonly TaskCompletionSource _requested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ActorSystem _system;

    private ShutdownSignals(ActorSystem system)
    {
        _system = system;
        foreach (PosixSignal signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGQUIT })
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                Request();
            }));
        }
    }

    /// <summary>Completes when a signal (or <see cref="Request"/>) asked for shutdown.</summary>
    public Task Requested => _requested.Task;

    public static ShutdownSignals Register(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        return new ShutdownSignals(system);
    }

    /// <summary>Starts the graceful leave; idempotent, so a second signal while leaving changes nothing.</summary>
    public void Request()
    {
        _requested.TrySetResult();
        _ = CoordinatedShutdown.Get(_system).Run(CoordinatedShutdown.ClrExitReason.Instance);
    }

    public void Dispose()
    {
        foreach (PosixSignalRegistration registration in _registrations)
        {
            registration.Dispose();
        }
        _registrations.Clear();
    }
}
