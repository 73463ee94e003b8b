using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using MsMano.Cluster.Options;
using MsMano.Cluster.Settings;
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
    public Option<string?> Formation { get; } = new("--formation") { Description = "How the cluster forms: seeds (--seeds, or none to found one), config (Cluster Bootstrap over --contact-points) or kubernetes (pods by label)." };
    public Option<int?> ManagementPort { get; } = new("--management-port") { Description = "Management HTTP port: bootstrap contact point, /health/live, /health/ready, /metrics (default off; 8558 with a discovery formation)." };
    public Option<string?> ContactPoints { get; } = new("--contact-points") { Description = "Config formation: every node's management endpoint, comma-separated host:port (identical on every node)." };
    public Option<string> Environment { get; } = new("--env") { Description = "What the nodes simulate: idnet (the hand) or synthetic (transport benchmarks); learner and sims must agree.", DefaultValueFactory = _ => SimSourceOptions.IdNet };
    public Option<bool> NoWrist { get; } = new("--no-wrist") { Description = "180-number observation (no wrist) instead of the paper's 192." };
    public Option<ulong> Seed { get; } = new("--seed") { Description = "Seed of environments and learner.", DefaultValueFactory = _ => 1UL };
    public Option<int?> ExitWithParent { get; } = new("--exit-with-parent") { Description = "Leave and exit when this process id exits (used by cluster-bench; no orphans)." };
    public Option<string?> TlsCertificate { get; } = new("--tls-certificate") { Description = "PKCS#12 file of the cluster certificate (with its key): node-to-node mutual TLS; every node needs the same one (MSMANO__CLUSTER__TLSCERTIFICATE)." };
    public Option<string?> TlsPasswordFile { get; } = new("--tls-password-file") { Description = "File whose first line is the certificate's password (MSMANO__CLUSTER__TLSPASSWORDFILE; default: no password)." };
    public Option<string?> Learning { get; } = new("--learning") { Description = "central (one learner singleton trains) or data-parallel (every sim node trains, gradients summed round a ring); learner and sims must agree (MSMANO__LEARNING)." };

    public IEnumerable<Option> All => [Port, Hostname, PublicHostname, Seeds, StableAfter, ReadinessFile, ShutdownTimeout, Formation, ManagementPort, ContactPoints, Environment, NoWrist, Seed, ExitWithParent, Learning, TlsCertificate, TlsPasswordFile];

    /// <summary>The learning mode from --learning, else MSMANO__LEARNING / appsettings, else <paramref name="unset"/>.</summary>
    public static MsMano.Cluster.Learner.LearningMode LearningMode(
        IConfiguration configuration, MsMano.Cluster.Learner.LearningMode unset = MsMano.Cluster.Learner.LearningMode.Central)
    {
        return MsMano.Cluster.Learner.LearningModes.Parse(configuration[MsMano.Cluster.Learner.LearningModes.Key], "--learning (MSMANO__LEARNING)", unset);
    }

    public SimSourceOptions Sources(ParseResult parse)
    {
        return new SimSourceOptions
        {
            Environment = parse.GetValue(Environment)!,
            IncludeWrist = !parse.GetValue(NoWrist),
            Seed = parse.GetValue(Seed),
        }.Validate();
    }

    /// <summary>appsettings.json (optional, in the working directory), environment, then the given flags (<see cref="SettingsConfiguration"/>).</summary>
    /// <param name="environment">Variables instead of the process's (tests); null = the process environment.</param>
    public IConfiguration Configuration(
        ParseResult parse, IEnumerable<KeyValuePair<string, string?>> extra, IReadOnlyDictionary<string, string>? environment = null)
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
        Set(ClusterNodeOptionsBinder.FormationKey, parse.GetValue(Formation));
        Set(ClusterNodeOptionsBinder.ManagementPortKey, parse.GetValue(ManagementPort)?.ToString(CultureInfo.InvariantCulture));
        Set(ClusterNodeOptionsBinder.ContactPointsKey, parse.GetValue(ContactPoints));
        Set(ClusterNodeOptionsBinder.TlsCertificateKey, parse.GetValue(TlsCertificate));
        Set(ClusterNodeOptionsBinder.TlsPasswordFileKey, parse.GetValue(TlsPasswordFile));
        if (parse.GetValue(Learning) is string learning)
        {
            flags[MsMano.Cluster.Learner.LearningModes.Key] = learning;
        }
        return Build(flags.Concat(extra), environment);
    }

    /// <summary>The process's configuration from the given entries (null values skipped): <see cref="SettingsConfiguration.Build"/>.</summary>
    public static IConfiguration Build(IEnumerable<KeyValuePair<string, string?>> flags, IReadOnlyDictionary<string, string>? environment = null)
    {
        return SettingsConfiguration.Build(flags, environment);
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
