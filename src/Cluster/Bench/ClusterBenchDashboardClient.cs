using Serilog;

namespace MsMano.Cluster.Bench;

/// <summary>
/// cluster-bench --dashboard: one client holding the learner's /api/events stream open for the whole round, as a
/// watching browser would, so the measurement includes the endpoint's event serialisation and not just an idle port.
/// </summary>
public sealed class ClusterBenchDashboardClient : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;

    private ClusterBenchDashboardClient(int port)
    {
        _reading = Task.Run(() => ReadAsync(port));
    }

    /// <summary>Status events received so far.</summary>
    public long Events { get; private set; }

    public static ClusterBenchDashboardClient Start(int port) => new(port);

    private async Task ReadAsync(int port)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using Stream stream = await _http.GetStreamAsync(new Uri($"http://127.0.0.1:{port}/api/events"), _stop.Token).ConfigureAwait(false);
                using var reader = new StreamReader(stream);
                while (await reader.ReadLineAsync(_stop.Token).ConfigureAwait(false) is { } line)
                {
                    if (line.StartsWith("event: status", StringComparison.Ordinal))
                    {
                        Events++;
                    }
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException)
            {
                // The learner is still starting (or restarting): try again shortly.
                await Task.Delay(500, _stop.Token).ConfigureAwait(false);
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _reading.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // Cancelled.
        }
        Log.Information("Dashboard client: {Events} status events received", Events);
        _stop.Dispose();
        _http.Dispose();
    }
}
