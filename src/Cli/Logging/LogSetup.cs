using Serilog;
using Serilog.Events;

namespace MsMano.Cli.Logging;

/// <summary>The one place every host (embedded, learner, sim, tools) configures Serilog.</summary>
public static class LogSetup
{
    /// <summary>Level from MSMANO__LOGGING__LEVEL (Verbose, Debug, Information, Warning, Error), default Information.</summary>
    public static void Configure(string? level = null)
    {
        level ??= Environment.GetEnvironmentVariable("MSMANO__LOGGING__LEVEL");
        var minimum = LogEventLevel.Information;
        if (!string.IsNullOrWhiteSpace(level) && !Enum.TryParse(level, ignoreCase: true, out minimum))
        {
            throw new ArgumentException($"MSMANO__LOGGING__LEVEL is '{level}'; use one of {string.Join(", ", Enum.GetNames<LogEventLevel>())}.");
        }
        Log.Logger = new LoggerConfiguration()
            .MinimumLevel.Is(minimum)
            .Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}", standardErrorFromLevel: LogEventLevel.Warning)
            .CreateLogger();
    }
}
