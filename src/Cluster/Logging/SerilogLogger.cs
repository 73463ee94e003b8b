using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;
using Serilog;
using Serilog.Events;

namespace MsMano.Cluster.Logging;

/// <summary>
/// Akka logger actor that forwards Akka's log events to Serilog's static <see cref="Log.Logger"/>, so actor logs
/// and host logs share one pipeline. Registered through <c>akka.loggers</c> by <see cref="Hocon.ClusterHocon"/>.
/// </summary>
public sealed class SerilogLogger : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    public static readonly string TypeName = $"{typeof(SerilogLogger).FullName}, {typeof(SerilogLogger).Assembly.GetName().Name}";

    public SerilogLogger()
    {
        Receive<Error>(e => Write(LogEventLevel.Error, e));
        Receive<Warning>(e => Write(LogEventLevel.Warning, e));
        Receive<Info>(e => Write(LogEventLevel.Information, e));
        Receive<Debug>(e => Write(LogEventLevel.Debug, e));
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
    }

    private static void Write(LogEventLevel level, Akka.Event.LogEvent e)
    {
        ILogger logger = Log.Logger;
        if (!logger.IsEnabled(level))
        {
            return;
        }
        logger
            .ForContext("SourceContext", e.LogClass?.FullName ?? "Akka")
            .ForContext("AkkaSource", e.LogSource)
            .ForContext("Thread", e.Thread.ManagedThreadId)
            .Write(level, e.Cause, "[{AkkaSource}] {AkkaMessage}", e.LogSource, e.Message?.ToString() ?? "");
    }
}
