using MsMano.Cluster.Telemetry;
using Serilog.Core;
using Serilog.Events;

namespace MsMano.Cluster.Logging;

/// <summary>The structured properties every line carries, and the enricher that adds them to host (non-Akka) lines.</summary>
public static class LogProperties
{
    /// <summary>The logging environment variables the hosts read (LogSetup in the CLI).</summary>
    public const string LevelVariable = "MSMANO__LOGGING__LEVEL";
    public const string FormatVariable = "MSMANO__LOGGING__FORMAT";
    public const string FileVariable = "MSMANO__LOGGING__FILE";

    public static IReadOnlyList<string> EnvironmentVariables { get; } = [LevelVariable, FormatVariable, FileVariable];

    public const string Node = "Node";
    public const string Role = "Role";
    public const string PolicyVersion = "PolicyVersion";

    /// <summary>"akka" on lines from Akka's logger; absent on the run's own lines.</summary>
    public const string Origin = "Origin";
    public const string AkkaOrigin = "akka";

    private static volatile string s_node = Environment.MachineName;
    private static volatile string s_role = "";

    /// <summary>Sets the process-wide node and role for host lines (a learner or sim process; "embedded" for the one-process job).</summary>
    public static void SetProcessNode(string node, string role)
    {
        s_node = node;
        s_role = role;
    }

    public static bool IsAkka(LogEvent e) =>
        e.Properties.TryGetValue(Origin, out LogEventPropertyValue? v) && v is ScalarValue { Value: AkkaOrigin };

    /// <summary>
    /// A bootstrap contact-point probe that failed: expected while peers are still starting (each retries every
    /// probe interval), so it belongs in the file, not on the console; a formation that stalls is still reported.
    /// </summary>
    public static bool IsFormationNoise(LogEvent e) =>
        e.Level == LogEventLevel.Warning
        && e.Properties.TryGetValue("LogSource", out LogEventPropertyValue? source)
        && source.ToString().Contains("contactPointProbe", StringComparison.Ordinal);

    /// <summary>
    /// A connection to a node that left or vanished being torn down (Akka.Remote's "Disassociated", the association
    /// gate, channel clean-up): routine at every leave, so it belongs in the file; the run's own lines name the node
    /// that left (the learner's membership lines, the coordinator's "left the group").
    /// </summary>
    public static bool IsConnectionNoise(LogEvent e) =>
        e.Level <= LogEventLevel.Error
        // Matched by name: Akka.Remote keeps the exception type internal.
        && (e.Exception?.GetType().Name == "EndpointDisassociatedException"
            || e.MessageTemplate.Text.Contains("Disassociated", StringComparison.Ordinal)
            || e.MessageTemplate.Text.StartsWith("Association with remote system", StringComparison.Ordinal)
            || e.MessageTemplate.Text.StartsWith("Tried to associate with unreachable remote address", StringComparison.Ordinal)
            || e.MessageTemplate.Text.StartsWith("Unable to REMOVE channel", StringComparison.Ordinal));

    /// <summary>Adds Node, Role and PolicyVersion where the line does not carry them already.</summary>
    public sealed class Enricher : ILogEventEnricher
    {
        public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
        {
            logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty(Node, s_node));
            logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty(Role, s_role));
            logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty(PolicyVersion, ProcessPolicyVersion.Latest));
        }
    }
}
