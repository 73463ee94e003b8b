using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using MsMano.Cluster.Options;
using MsMano.Cluster.Simulation;

namespace MsMano.Cli.Commands;

/// <summary>
/// Flags every node process (<c>learner</c>, <c>sim</c>) takes, mapped onto the same configuration keys the
/// environment uses (<c>CLUSTER__*</c>, <c>MSMANO__CLUSTER__*</c>, <c>MSMANO__SIM__*</c>, ...), so a flag, an
/// environment variable and appsettings.json set one setting in one way; flags win.
/// </summary>
public sealed class SimNodeFlags
{
    public Option<int?> Port { get; } = new("--port") { Description = $"Akka.Remote port (default {ClusterNodeOptions.DefaultPort}; 0 = any free port)." };
    public Option<string?> Hostname { get; } = new("--hostname") { Description = "Address to bind (default 0.0.0.0)." };
    public Option<string?> PublicHostname { get; } = new("--public-hostname") { Description = "Address other nodes use to reach this one (default: the bind address, or the host name when binding 0.0.0.0)." };
    public Option<string?> Seeds { get; } = new("--seeds") { Description = "Comma-separated seed nodes, e.g. akka.tcp://msmano@learner-0.learner:4053 (none: found a new cluster)." };
    public Option<string?> StableAfter { get; } = new("--stable-after") { Description = "Split-brain resolver stable-after (default 20s)." };
    public Option<string?> ReadinessFile { get; } = new("--readiness-file") { Description = "File kept while this node is Up (default /tmp/msmano-ready; empty = none)." };
    public Option<string?> ShutdownTimeout { get; } = new("--shutdown-timeout") { Description = "Bound on the graceful leave after SIGTERM (default 40s)." };
    public Option<string> Environment { get; } = new("--env") { Description = "What the nodes simulate: idnet (the hand) or synthetic (transport benchmarks); learner and sims must agree.", DefaultValueFactory = _ => SimSourceOptions.IdNet };
    public Option<bool> NoWrist { get; } = new("--no-wrist") { Description = "180-number observation (no wrist) instead of the paper's 192." };
    public Option<ulong> Seed { get; } = new("--seed") { Description = "Seed of environments and learner.", DefaultValueFactory = _ => 1UL };
    public Option<int?> ExitWithParent { get; } = new("--exit-with-parent") { Description = "Leave and exit when this process id exits (used by cluster-bench; no orphans)." };

    public IEnumerable<Option> All => [Port, Hostname, PublicHostname, Seeds, StableAfter, ReadinessFile, ShutdownTimeout, Environment, NoWrist, Seed, ExitWithParent];

    public SimSourceOptions Sources(ParseResult parse)
    {
        return new SimSourceOptions
        {
            Environment = parse.GetValue(Environment)!,
            IncludeWrist = !parse.GetValue(NoWrist),
            Seed = parse.GetValue(Seed),
        }.Validate();
    }

    /// <summary>appsettings.json (optional, beside the working directory), environment, then the given flags.</summary>
    public IConfiguration Configuration(ParseResult parse, IEnumerable<KeyValuePair<string, string?>> extra)
    {
        var flags = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        void Set(string key, string? value)
        {
            if (value is not null)
            {
                flags[$"{ClusterNodeOptionsBinder.ProjectSection}:{key}"] = value;
            }
        }
        Set(ClusterNodeOptionsBinder.PortKey, parse.GetValue(Port)?.ToString(CultureInfo.InvariantCulture));
        Set(ClusterNodeOptionsBinder.HostnameKey, parse.GetValue(Hostname));
        Set(ClusterNodeOptionsBinder.PublicHostnameKey, parse.GetValue(PublicHostname));
        Set(ClusterNodeOptionsBinder.SeedsKey, parse.GetValue(Seeds));
        Set(ClusterNodeOptionsBinder.StableAfterKey, parse.GetValue(StableAfter));
        Set(ClusterNodeOptionsBinder.ReadinessFileKey, parse.GetValue(ReadinessFile));
        Set(ClusterNodeOptionsBinder.ShutdownTimeoutKey, parse.GetValue(ShutdownTimeout));
        return Build(flags.Concat(extra));
    }

    /// <summary>appsettings.json (optional, beside the working directory), environment, then the given entries (null values skipped).</summary>
    public static IConfiguration Build(IEnumerable<KeyValuePair<string, string?>> flags)
    {
        var given = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in flags)
        {
            if (value is not null)
            {
                given[key] = value;
            }
        }
        return new ConfigurationBuilder()
            .AddJsonFile(Path.GetFullPath("appsettings.json"), optional: true, reloadOnChange: false)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(given)
            .Build();
    }

    /// <summary>Cancelled when the parent named by --exit-with-parent exits; never otherwise.</summary>
    public (CancellationToken Token, IDisposable? Watch) ParentWatch(ParseResult parse)
    {
        if (parse.GetValue(ExitWithParent) is not int pid)
        {
            return (CancellationToken.None, null);
        }
        var watch = Cluster.Shutdown.ParentProcessWatch.Start(pid);
        return (watch.ParentGone, watch);
    }

    public static string? Invariant(object? value)
    {
        return value switch
        {
            null => null,
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
    }
}
