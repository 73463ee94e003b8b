using Akka.Event;
using Serilog.Events;

namespace MsMano.Cluster.Logging;

/// <summary>
/// Akka's minimal (stdout) logger, used before the Serilog logger actor starts and after it stops, i.e. for the
/// start-up and shutdown lines ("Remoting shut down") that otherwise bypass Serilog in Akka's own console format.
/// Routes them into Serilog's static logger marked as Akka's, so the console keeps only their warnings and errors
/// and the log file gets all of them. Loaded by name through <c>akka.stdout-logger-class</c>; it is not an actor.
/// </summary>
public sealed class SerilogMinimalLogger : MinimalLogger
{
    public static readonly string TypeName = $"{typeof(SerilogMinimalLogger).FullName}, {typeof(SerilogMinimalLogger).Assembly.GetName().Name}";

    protected override void Log(object message)
    {
        if (message is not Akka.Event.LogEvent e)
        {
            return;
        }
        LogEventLevel level = e.LogLevel() switch
        {
            LogLevel.ErrorLevel => LogEventLevel.Error,
            LogLevel.WarningLevel => LogEventLevel.Warning,
            LogLevel.InfoLevel => LogEventLevel.Information,
            _ => LogEventLevel.Debug,
        };
        Serilog.Log.Logger
            .ForContext(LogProperties.Origin, LogProperties.AkkaOrigin)
            .ForContext("LogSource", e.LogSource)
            .Write(level, e.Cause, "{AkkaMessage}", e.Message?.ToString() ?? "");
    }
}
