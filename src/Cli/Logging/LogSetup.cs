using MsMano.Cluster.Logging;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace MsMano.Cli.Logging;

/// <summary>
/// The one place every host (embedded, learner, sim, tools) configures Serilog. The console carries the run's own
/// lines plus Akka's warnings and errors; Akka's INFO chatter (remoting start, membership, shutdown) goes to the log
/// file only. Every line has Node, Role and PolicyVersion (<see cref="LogProperties"/>).
/// Environment: MSMANO__LOGGING__LEVEL (Verbose..Error, default Information), MSMANO__LOGGING__FORMAT (text or json:
/// one compact JSON object per line on the console, every event including Akka's, for log collectors),
/// MSMANO__LOGGING__FILE (default logs/msmano-.log, one file per day; empty = no file).
/// </summary>
public static class LogSetup
{
    public const string DefaultFile = "logs/msmano-.log";

    private const string ConsoleTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}";
    private const string FileTemplate = "{Timestamp:yyyy-MM-dd HH:mm:ss.fff} [{Level:u3}] {Node} {Role} v{PolicyVersion} {LogSource}: {Message:lj}{NewLine}{Exception}";

    public static void Configure(string? level = null, string? format = null, string? file = null)
    {
        Log.Logger = Create(
            level ?? Environment.GetEnvironmentVariable(LogProperties.LevelVariable),
            format ?? Environment.GetEnvironmentVariable(LogProperties.FormatVariable),
            file ?? Environment.GetEnvironmentVariable(LogProperties.FileVariable) ?? DefaultFile);
    }

    public static Serilog.Core.Logger Create(string? level, string? format, string? file)
    {
        LogEventLevel minimum = LogEventLevel.Information;
        if (!string.IsNullOrWhiteSpace(level) && !Enum.TryParse(level, ignoreCase: true, out minimum))
        {
            throw new ArgumentException($"MSMANO__LOGGING__LEVEL is '{level}'; use one of {string.Join(", ", Enum.GetNames<LogEventLevel>())}.");
        }
        bool json = format?.Trim().ToLowerInvariant() switch
        {
            null or "" or "text" => false,
            "json" => true,
            _ => throw new ArgumentException($"MSMANO__LOGGING__FORMAT is '{format}'; use text or json."),
        };
        LoggerConfiguration configuration = new LoggerConfiguration()
            .MinimumLevel.Is(minimum)
            .Enrich.FromLogContext()
            .Enrich.With(new LogProperties.Enricher());
        if (json)
        {
            configuration.WriteTo.Console(new RenderedCompactJsonFormatter());
        }
        else
        {
            configuration.WriteTo.Logger(console => console
                .Filter.ByExcluding(e => LogProperties.IsAkka(e) && (e.Level < LogEventLevel.Warning || LogProperties.IsFormationNoise(e) || LogProperties.IsConnectionNoise(e)))
                .WriteTo.Console(outputTemplate: ConsoleTemplate, standardErrorFromLevel: LogEventLevel.Warning));
        }
        if (!string.IsNullOrWhiteSpace(file))
        {
            // Shared: several processes of one run (cluster-bench, a learner beside its sims) may write the same file.
            if (json)
            {
                configuration.WriteTo.File(new RenderedCompactJsonFormatter(), file, rollingInterval: RollingInterval.Day, shared: true);
            }
            else
            {
                configuration.WriteTo.File(file, outputTemplate: FileTemplate, rollingInterval: RollingInterval.Day, shared: true);
            }
        }
        return configuration.CreateLogger();
    }
}
