using Akka;
using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MsMano.Dashboard.Api;
using MsMano.Dashboard.Clips;
using MsMano.Dashboard.Feed;
using MsMano.Dashboard.State;
using MsMano.Dashboard.Static;
using Serilog.Extensions.Logging;

namespace MsMano.Dashboard.Hosting;

/// <summary>
/// The dashboard's HTTP endpoint on the trainer's node: Kestrel with minimal APIs (JSON under /api, Server-Sent Events
/// at /api/events) and the embedded page. It reads the node's <see cref="DashboardState"/> and Akka.Cluster state and
/// never sends the trainer anything. Stops with the node (coordinated shutdown) or on dispose.
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _stopped;

    private DashboardServer(WebApplication app, DashboardState state, string url)
    {
        _app = app;
        State = state;
        Url = url;
    }

    public DashboardState State { get; }

    /// <summary>The page's address, e.g. http://127.0.0.1:8080/.</summary>
    public string Url { get; }

    /// <summary>The host's configuration (tests check it has no file sources to watch).</summary>
    internal Microsoft.Extensions.Configuration.IConfiguration Configuration => _app.Configuration;

    public static async Task<DashboardServer> StartAsync(ActorSystem system, DashboardSettings settings, DashboardState? state = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        settings.Validate();
        state ??= new DashboardState();
        // The empty builder, not the slim one: no appsettings.json sources, whose reload-on-change put a recursive
        // inotify watch (and a thread woken by every write) on the learner's working directory, e.g. a whole repository.
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRoutingCore();
        // ASP.NET's own console chatter off; warnings and errors go to the one Serilog pipeline.
        builder.Logging.AddProvider(new SerilogLoggerProvider());
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://{settings.Host}:{settings.Port}");
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new FiniteDoubleConverter()));
        WebApplication app = builder.Build();
        DashboardEndpoints.Map(app, system, state, EmbeddedAssets.Load(), new ClipDirectory(settings.ClipsDirectory));
        DashboardFeed.Start(system, state);
        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new IOException($"dashboard: cannot listen on {settings.Host}:{settings.Port} ({ex.Message}); pick another --dashboard-port or pass --no-dashboard.", ex);
        }
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var server = new DashboardServer(app, state, address.TrimEnd('/') + "/");
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceUnbind, "dashboard-stop", async () =>
        {
            await server.DisposeAsync().ConfigureAwait(false);
            return Done.Instance;
        });
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Open event streams were cut; nothing else to wait for.
        }
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
