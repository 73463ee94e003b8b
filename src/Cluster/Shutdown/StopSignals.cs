using System.Runtime.InteropServices;
using Serilog;

namespace MsMano.Cluster.Shutdown;

/// <summary>
/// SIGTERM (Kubernetes, `kill`) and SIGINT (Ctrl-C) ask a command to stop gracefully: the first one cancels
/// <see cref="Token"/> (the command checkpoints and exits), a second SIGINT kills the process as usual. Without this,
/// .NET would end the process at once on SIGINT and run on after SIGTERM until Main returned.
/// </summary>
public sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<PosixSignalRegistration> _registrations = [];

    private StopSignals(string stopping)
    {
        foreach (PosixSignal signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT })
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                if (_stop.IsCancellationRequested)
                {
                    return; // a second Ctrl-C keeps its default action: end the process now
                }
                context.Cancel = true;
                Log.Warning("{Signal}: {Stopping} ({Again})", context.Signal, stopping,
                    context.Signal == PosixSignal.SIGINT ? "Ctrl-C again to abort" : "then exiting");
                _stop.Cancel();
            }));
        }
    }

    public CancellationToken Token => _stop.Token;

    public bool IsCancellationRequested => _stop.IsCancellationRequested;

    /// <summary>Starts listening; <paramref name="stopping"/> says what the command does on the first signal.</summary>
    public static StopSignals Register(string stopping)
    {
        return new StopSignals(stopping);
    }

    public void Dispose()
    {
        _registrations.ForEach(r => r.Dispose());
        _stop.Dispose();
    }
}
