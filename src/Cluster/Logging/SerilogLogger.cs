using Akka.Actor;
using MsMano.Cluster.Telemetry;
using Serilog.Context;
using Serilog.Core;
using Serilog.Core.Enrichers;

namespace MsMano.Cluster.Logging;

/// <summary>
/// Akka.Logger.Serilog's logger with this node's properties on every Akka line: <c>Node</c> (host:port),
/// <c>Role</c>, <c>PolicyVersion</c>, and <c>Origin = akka</c> so the console can send Akka's own INFO chatter to the
/// log file only (<see cref="LogProperties"/>). Registered through <c>akka.loggers</c> by <see cref="Hocon.ClusterHocon"/>.
/// </summary>
public sealed class SerilogLogger : Akka.Logger.Serilog.SerilogLogger
{
    public static readonly string TypeName = $"{typeof(SerilogLogger).FullName}, {typeof(SerilogLogger).Assembly.GetName().Name}";

    private readonly ILogEventEnricher[] _static;
    private readonly ActorSystem _system;
    private ILogEventEnricher? _node;

    public SerilogLogger()
    {
        _system = Context.System;
        string roles = _system.Settings.Config.HasPath("akka.cluster.roles")
            ? string.Join(",", _system.Settings.Config.GetStringList("akka.cluster.roles"))
            : "";
        _static =
        [
            new PropertyEnricher(LogProperties.Origin, LogProperties.AkkaOrigin),
            new PropertyEnricher(LogProperties.Role, roles),
        ];
    }

    protected override bool AroundReceive(Receive receive, object message)
    {
        // The logger actor handles each event synchronously, so properties pushed here reach exactly that event.
        long version = _system.HasExtension<NodeTelemetry>() ? NodeTelemetry.Get(_system).PolicyVersion : -1;
        _node ??= NodeAddress();
        using (LogContext.Push(_static))
        using (_node is null ? null : LogContext.Push(_node))
        using (LogContext.PushProperty(LogProperties.PolicyVersion, version))
        {
            return base.AroundReceive(receive, message);
        }
    }

    // Loggers start before remoting has bound its port; until then the line names the system and the address is retried.
    private ILogEventEnricher? NodeAddress()
    {
        try
        {
            Address address = ((ExtendedActorSystem)_system).Provider.DefaultAddress;
            return new PropertyEnricher(LogProperties.Node, address.Port is null ? address.System : $"{address.Host}:{address.Port}");
        }
        catch (NullReferenceException)
        {
            return null;
        }
    }
}
