using System.Collections.Immutable;
using System.Net;
using System.Text;
using Akka.Actor;
using Akka.Cluster;
using Akka.Management.Cluster.Bootstrap.ContactPoint;
using MsMano.Cluster.Health;
using MsMano.Cluster.Metrics;
using Newtonsoft.Json;
using Serilog;

namespace MsMano.Cluster.Management;

/// <summary>
/// The management HTTP endpoint: Cluster Bootstrap's contact point (<c>/bootstrap/seed-nodes</c>), health probes and
/// Prometheus metrics. Akka.Management's own server cannot run here: Akka.Http.Shim 1.5.73 calls a Ceen.Httpd 0.9.9
/// method that the only served Ceen.Httpd (0.9.10) no longer has (MissingMethodException at bind), so this serves
/// the same contact-point JSON (Akka.Management's own types, Newtonsoft as it uses) from the in-box HttpListener.
/// </summary>
public sealed class ManagementHttpServer : IDisposable
{
    public const string SeedNodesPath = "/bootstrap/seed-nodes";
    public const string MetricsPath = "/metrics";

    private const int MaxSeedNodesToExpose = 5;

    private readonly ActorSystem _system;
    private readonly HttpListener _listener = new();
    private readonly NodeHealth _health;
    private readonly NodeMetrics _metrics;
    private readonly CancellationTokenSource _stop = new();

    private ManagementHttpServer(ActorSystem system, ManagementOptions options)
    {
        _system = system;
        _health = new NodeHealth(system, options.TrainingStaleAfter);
        _metrics = new NodeMetrics(system);
        string host = options.BindHostname is "0.0.0.0" or "::" or "*" ? "+" : options.BindHostname;
        _listener.Prefixes.Add($"http://{host}:{options.Port}/");
    }

    /// <summary>Binds and serves until the ActorSystem terminates.</summary>
    public static ManagementHttpServer Start(ActorSystem system, ManagementOptions options)
    {
        var server = new ManagementHttpServer(system, options);
        server._listener.Start();
        _ = Task.Run(server.ServeAsync);
        system.WhenTerminated.ContinueWith(_ => server.Dispose(), TaskScheduler.Default);
        return server;
    }

    public void Dispose()
    {
        if (!_stop.IsCancellationRequested)
        {
            _stop.Cancel();
            _listener.Close();
        }
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException ex)
            {
                Log.Warning("Management endpoint: accept failed ({Message})", ex.Message);
                continue;
            }
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        HttpListenerResponse response = context.Response;
        try
        {
            (int status, string contentType, string body) = context.Request.HttpMethod != "GET"
                ? (405, "text/plain", "GET only")
                : context.Request.Url?.AbsolutePath switch
                {
                    SeedNodesPath => (200, "application/json", SeedNodesJson()),
                    NodeHealth.LivePath => await HealthAsync(HealthTags.Live).ConfigureAwait(false),
                    NodeHealth.ReadyPath => await HealthAsync(HealthTags.Ready).ConfigureAwait(false),
                    MetricsPath => (200, "text/plain; version=0.0.4; charset=utf-8", await _metrics.ExportAsync(_stop.Token).ConfigureAwait(false)),
                    _ => (404, "text/plain", "not found"),
                };
            byte[] bytes = Encoding.UTF8.GetBytes(body);
            response.StatusCode = status;
            response.ContentType = contentType;
            response.ContentLength64 = bytes.Length;
            await response.OutputStream.WriteAsync(bytes, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The prober went away or the node is stopping; nothing to answer.
        }
        finally
        {
            try
            {
                response.Close();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private async Task<(int, string, string)> HealthAsync(string tag)
    {
        (bool healthy, string json) = await _health.CheckAsync(tag, _stop.Token).ConfigureAwait(false);
        return (healthy ? 200 : 503, "application/json", json);
    }

    /// <summary>What Akka.Management's HttpClusterBootstrapRoutes answers: self plus up to 5 reachable Up/WeaklyUp/Joining members.</summary>
    private string SeedNodesJson()
    {
        var cluster = Akka.Cluster.Cluster.Get(_system);
        ImmutableList<HttpBootstrapJsonProtocol.ClusterMember> members = ImmutableList<HttpBootstrapJsonProtocol.ClusterMember>.Empty;
        if (cluster.SelfMember.Status is not (MemberStatus.Down or MemberStatus.Exiting or MemberStatus.Leaving or MemberStatus.Removed))
        {
            ClusterEvent.CurrentClusterState state = cluster.State;
            members = state.Members
                .Where(m => !state.Unreachable.Contains(m))
                .Where(m => m.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Joining)
                .Take(MaxSeedNodesToExpose)
                .Select(m => new HttpBootstrapJsonProtocol.ClusterMember(m.UniqueAddress.Address, m.UniqueAddress.Uid, m.Status, m.Roles))
                .ToImmutableList();
        }
        return JsonConvert.SerializeObject(new HttpBootstrapJsonProtocol.SeedNodes(cluster.SelfMember.UniqueAddress.Address, members));
    }
}
