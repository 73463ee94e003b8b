using System.Text;
using System.Text.Json;
using Akka.Actor;
using Akka.Configuration;
using Microsoft.Extensions.Configuration;
using MsMano.Contracts.Monitoring;
using MsMano.Dashboard.Api;
using MsMano.Dashboard.Hosting;
using MsMano.Dashboard.State;

namespace MsMano.Dashboard.Tests;

/// <summary>
/// What the endpoint may cost the trainer's process (docs/dashboard/endpoint-cost.md): no file watching, and event
/// streams that share one serialisation per change.
/// </summary>
public sealed class EndpointCostTests : IAsyncLifetime
{
    private ActorSystem _system = null!;

    public Task InitializeAsync()
    {
        _system = ActorSystem.Create("endpoint-cost", ConfigurationFactory.ParseString("""
            akka.loglevel = WARNING
            akka.stdout-loglevel = WARNING
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp.hostname = 127.0.0.1
            akka.remote.dot-netty.tcp.port = 0
            """));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _system.Terminate();

    [Fact]
    public async Task The_host_has_no_configuration_file_to_watch()
    {
        // The slim builder's appsettings.json sources reload on change: a recursive inotify watch on the working
        // directory (the whole repository under cluster-bench) whose thread woke on every file written beneath it.
        await using DashboardServer server = await DashboardServer.StartAsync(_system, new DashboardSettings { Port = 0 });
        IConfigurationRoot configuration = Assert.IsAssignableFrom<IConfigurationRoot>(server.Configuration);
        Assert.Empty(configuration.Providers.OfType<FileConfigurationProvider>());
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        Assert.Contains("\"cluster\"", await http.GetStringAsync(new Uri(server.Url + "api/status")), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_stream_gets_the_same_frame_until_the_state_changes()
    {
        var state = new DashboardState();
        var frames = new StatusEventFrame(_system, state, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        Assert.Equal(0, frames.Built);

        (byte[] first, long revision) = frames.Current();
        (byte[] again, _) = frames.Current();
        Assert.Same(first, again);
        Assert.Equal(1, frames.Built);
        string text = Encoding.UTF8.GetString(first);
        Assert.StartsWith("event: status\ndata: {", text, StringComparison.Ordinal);
        Assert.EndsWith("}\n\n", text, StringComparison.Ordinal);
        Assert.Equal(revision, JsonDocument.Parse(text["event: status\ndata: ".Length..]).RootElement.GetProperty("revision").GetInt64());

        state.Record(new TrainingSnapshot("learner", 1, 1, 1024, 0.5, 0.01, 1, 2, 100, [], null, null, false));
        (byte[] next, long nextRevision) = frames.Current();
        Assert.NotSame(first, next);
        Assert.True(nextRevision > revision);
        Assert.Equal(2, frames.Built);
        Assert.Contains("\"meanReward\":0.5", Encoding.UTF8.GetString(next), StringComparison.Ordinal);
    }
}
