using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using MsMano.Biomechanics.Model;
using MsMano.Cli.Commands;
using MsMano.Cli.Recording;
using MsMano.Cluster.Simulation;
using MsMano.Dashboard.Hosting;

namespace MsMano.Dashboard.Tests;

/// <summary>
/// A real <c>embedded</c> run (learner + 2 simulation nodes over loopback TCP, the cheap synthetic task) with its
/// dashboard on a free port and a clips folder holding a recorded FDS4 excitation and the vendored BioPR clip. Started
/// once for the collection; stopped as Ctrl-C would stop it.
/// </summary>
public sealed class EmbeddedDashboard : IAsyncLifetime
{
    private readonly CancellationTokenSource _stop = new();
    private Task<int>? _run;

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), $"msmano-dashboard-{Guid.NewGuid():N}");

    public string Clips => Path.Combine(Directory, "clips");

    public Uri Url { get; private set; } = null!;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(Clips);
        ClipRecorders.Excitation(HandModelFile.LoadDefault(), "FDS4").Save(Path.Combine(Clips, "excitation-fds4.json"));
        foreach (string vendored in System.IO.Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "clips"), "*.json"))
        {
            File.Copy(vendored, Path.Combine(Clips, Path.GetFileName(vendored)));
        }
        int port = FreePort();
        Url = new Uri($"http://127.0.0.1:{port}/");
        var options = new EmbeddedOptions
        {
            SimNodes = 2,
            BatchSize = 1024,
            Duration = TimeSpan.FromMinutes(10),
            // The synthetic task plateaus within a minute at this batch, and a converged run ends, taking the page's
            // server with it in the middle of the browser test.
            PlateauWindow = 0,
            OutputDirectory = Directory,
            Sources = new SimSourceOptions { Environment = SimSourceOptions.Synthetic },
            Dashboard = new DashboardSettings { Port = port, ClipsDirectory = Clips },
            Stop = _stop.Token,
        };
        _run = Task.Run(() => EmbeddedCommand.Run(options));
        await WaitForAsync(s => s.GetProperty("training").ValueKind == JsonValueKind.Object
            && s.GetProperty("training").GetProperty("updates").GetInt64() >= 1
            && s.GetProperty("cluster").GetProperty("members").GetArrayLength() == 3, TimeSpan.FromSeconds(150), "the embedded cluster's first PPO update");
    }

    /// <summary>Polls /api/status until <paramref name="condition"/> holds; returns that status.</summary>
    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> condition, TimeSpan timeout, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string last = "(no answer)";
        while (clock.Elapsed < timeout)
        {
            if (_run is { IsCompleted: true })
            {
                throw new InvalidOperationException($"the embedded run ended while waiting for {what}: {(_run.IsFaulted ? _run.Exception!.GetBaseException().Message : "exit " + _run.Result)}");
            }
            try
            {
                last = await Http.GetStringAsync(new Uri(Url, "api/status"));
                JsonElement status = JsonDocument.Parse(last).RootElement;
                if (condition(status))
                {
                    return status;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"waited {timeout} for {what}; last status: {last}");
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_run is not null)
        {
            await _run.WaitAsync(TimeSpan.FromSeconds(90));
        }
        Http.Dispose();
        _stop.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A checkpoint still being written; the temp folder is cleaned by the OS.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class EmbeddedDashboardCollection : ICollectionFixture<EmbeddedDashboard>
{
    public const string Name = "embedded dashboard";
}
