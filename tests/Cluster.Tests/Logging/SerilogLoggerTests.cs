using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using MsMano.Cluster.Hocon;
using MsMano.Cluster.Options;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using LogEvent = Serilog.Events.LogEvent;

namespace MsMano.Cluster.Tests.Logging;

public sealed class SerilogLoggerTests
{
    private sealed class CollectingSink : ILogEventSink
    {
        private readonly List<LogEvent> _events = [];

        public IReadOnlyList<LogEvent> Snapshot()
        {
            lock (_events)
            {
                return _events.ToList();
            }
        }

        public void Emit(LogEvent logEvent)
        {
            lock (_events)
            {
                _events.Add(logEvent);
            }
        }
    }

    [Fact]
    public async Task Akka_log_events_reach_serilog_with_their_level_source_and_exception()
    {
        var sink = new CollectingSink();
        ILogger previous = Log.Logger;
        Log.Logger = new LoggerConfiguration().MinimumLevel.Debug().Enrich.FromLogContext().WriteTo.Sink(sink).CreateLogger();
        // A plain local system with the generated logger settings: the bridge is what is under test, not remoting.
        Config config = Akka.Configuration.ConfigurationFactory.ParseString("akka.actor.provider = local")
            .WithFallback(ClusterHocon.Build(ClusterNodeOptions.Local(ClusterRoles.Sim)));
        var system = ActorSystem.Create("serilog-bridge", config);
        try
        {
            system.Log.Warning("rollout window {0} exhausted", 4);
            system.Log.Error(new InvalidOperationException("boom"), "learner unreachable");

            LogEvent? warning = null, error = null;
            for (int i = 0; i < 100 && (warning is null || error is null); i++)
            {
                await Task.Delay(50);
                IReadOnlyList<LogEvent> events = sink.Snapshot();
                warning = events.FirstOrDefault(e => e.Level == LogEventLevel.Warning && Render(e).Contains("rollout window 4 exhausted"));
                error = events.FirstOrDefault(e => e.Level == LogEventLevel.Error && Render(e).Contains("learner unreachable"));
            }

            Assert.NotNull(warning);
            Assert.NotNull(error);
            Assert.Equal("boom", error!.Exception?.Message);
            // Akka.Logger.Serilog's own properties plus this node's: Node, Role, PolicyVersion and the Akka origin mark.
            Assert.True(warning!.Properties.ContainsKey("LogSource"), string.Join(",", warning.Properties.Keys));
            Assert.True(MsMano.Cluster.Logging.LogProperties.IsAkka(warning));
            Assert.Equal("\"sim\"", warning.Properties["Role"].ToString());
            Assert.True(warning.Properties.ContainsKey("Node"));
            Assert.Equal("-1", warning.Properties["PolicyVersion"].ToString());
        }
        finally
        {
            await system.Terminate();
            Log.Logger = previous;
        }
    }

    private static string Render(LogEvent e)
    {
        return e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture);
    }
}
