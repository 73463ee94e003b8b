using System.Text.RegularExpressions;
using Akka.Actor;
using MsMano.Cluster.Management;

namespace MsMano.Cluster.Options;

/// <summary>
/// Everything a node needs to join the cluster. Defaults suit a container (bind 0.0.0.0, port 4053); use
/// <see cref="Local"/> for in-process nodes on 127.0.0.1 with a free port. Bind it from configuration with
/// <see cref="ClusterNodeOptionsBinder"/>.
/// </summary>
public sealed partial record ClusterNodeOptions
{
    public const string DefaultSystemName = "msmano";

    /// <summary>The remoting port in containers; the Kubernetes manifests use the same number.</summary>
    public const int DefaultPort = 4053;

    /// <summary>Twice Akka's 128,000-byte default: every contract stays under ~100 KB, this leaves headroom.</summary>
    public const int DefaultMaximumFrameSize = 256_000;

    public const int DefaultSocketBufferSize = 512_000;

    /// <summary>Akka refuses frames below this.</summary>
    public const int MinimumFrameSize = 32_000;

    public const string DefaultReadinessFile = "/tmp/msmano-ready";

    public string SystemName { get; init; } = DefaultSystemName;

    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>Address the socket binds to.</summary>
    public string Hostname { get; init; } = "0.0.0.0";

    /// <summary>Address other nodes use to reach this one (a pod's stable DNS name); empty = derived.</summary>
    public string PublicHostname { get; init; } = "";

    /// <summary>0 picks a free port (in-process clusters and tests).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>Seed node addresses, identical on every node; empty = this node founds a cluster by joining itself.</summary>
    public IReadOnlyList<string> Seeds { get; init; } = [];

    public int MaximumFrameSize { get; init; } = DefaultMaximumFrameSize;

    public int SendBufferSize { get; init; } = DefaultSocketBufferSize;

    public int ReceiveBufferSize { get; init; } = DefaultSocketBufferSize;

    /// <summary>DotNetty write batching (off: every write is flushed at once, for the latency-bound ring all-reduce).</summary>
    public bool BatchWrites { get; init; }

    /// <summary>Split-brain resolver (keep-majority) waits this long for a stable membership before downing.</summary>
    public TimeSpan StableAfter { get; init; } = TimeSpan.FromSeconds(20);

    public bool DownAllWhenUnstable { get; init; } = true;

    /// <summary>Members stay Joining until the cluster has this many.</summary>
    public int MinimumMembers { get; init; } = 1;

    /// <summary>Touched while this node is Up (Kubernetes exec readiness probe); null or empty disables it.</summary>
    public string? ReadinessFile { get; init; } = DefaultReadinessFile;

    /// <summary>Node-to-node mutual TLS with the cluster certificate; null = plain TCP (a warning is logged off loopback).</summary>
    public Tls.ClusterTls? Tls { get; init; }

    /// <summary>Hard bound on a graceful leave after SIGTERM; keep it below terminationGracePeriodSeconds.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(40);

    /// <summary>Management HTTP port (bootstrap contact point, health, metrics) and cluster formation; off for <see cref="Local"/> nodes.</summary>
    public ManagementOptions Management { get; init; } = ManagementOptions.Disabled;

    /// <summary>The hostname other nodes see: the public name when set, else the bind address unless it is a wildcard.</summary>
    public string EffectivePublicHostname
    {
        get
        {
            if (!string.IsNullOrWhiteSpace(PublicHostname))
            {
                return PublicHostname;
            }
            return Hostname is "0.0.0.0" or "::" ? System.Net.Dns.GetHostName() : Hostname;
        }
    }

    /// <summary>The seeds as this node dials them: with TLS every address is akka.ssl.tcp, so one seed list serves both.</summary>
    public IReadOnlyList<string> EffectiveSeeds => Tls is null
        ? Seeds
        : Seeds.Select(s => s.StartsWith("akka.tcp://", StringComparison.Ordinal) ? "akka.ssl.tcp://" + s["akka.tcp://".Length..] : s).ToList();

    /// <summary>An in-process node: loopback, any free port, no seeds, no readiness file.</summary>
    public static ClusterNodeOptions Local(params string[] roles)
    {
        return new ClusterNodeOptions
        {
            Roles = roles,
            Hostname = "127.0.0.1",
            PublicHostname = "127.0.0.1",
            Port = 0,
            ReadinessFile = null,
            Management = ManagementOptions.Disabled,
        };
    }

    /// <summary>Throws <see cref="ClusterConfigurationException"/> naming the first bad setting.</summary>
    public ClusterNodeOptions Validate()
    {
        if (string.IsNullOrEmpty(SystemName) || !SystemNamePattern().IsMatch(SystemName))
        {
            throw new ClusterConfigurationException(nameof(SystemName), SystemName, "use letters, digits, '-' and '_', starting with a letter or digit");
        }
        if (Roles.Count == 0)
        {
            throw new ClusterConfigurationException(nameof(Roles), "", $"give at least one of {string.Join(", ", ClusterRoles.All)}");
        }
        foreach (string role in Roles)
        {
            if (!ClusterRoles.All.Contains(role))
            {
                throw new ClusterConfigurationException(nameof(Roles), role, $"known roles are {string.Join(", ", ClusterRoles.All)}");
            }
        }
        if (string.IsNullOrWhiteSpace(Hostname))
        {
            throw new ClusterConfigurationException(nameof(Hostname), Hostname, "give an address to bind, e.g. 0.0.0.0 or 127.0.0.1");
        }
        if (Port < 0 || Port > 65535)
        {
            throw new ClusterConfigurationException(nameof(Port), Port.ToString(), "must lie in [0, 65535] (0 = any free port)");
        }
        foreach (string seed in Seeds)
        {
            ValidateSeed(seed);
        }
        if (MaximumFrameSize < MinimumFrameSize)
        {
            throw new ClusterConfigurationException(nameof(MaximumFrameSize), MaximumFrameSize.ToString(), $"must be at least {MinimumFrameSize} bytes");
        }
        if (SendBufferSize < MaximumFrameSize)
        {
            throw new ClusterConfigurationException(nameof(SendBufferSize), SendBufferSize.ToString(), $"must hold one maximum frame ({MaximumFrameSize} bytes)");
        }
        if (ReceiveBufferSize < MaximumFrameSize)
        {
            throw new ClusterConfigurationException(nameof(ReceiveBufferSize), ReceiveBufferSize.ToString(), $"must hold one maximum frame ({MaximumFrameSize} bytes)");
        }
        if (StableAfter <= TimeSpan.Zero || StableAfter > TimeSpan.FromMinutes(10))
        {
            throw new ClusterConfigurationException(nameof(StableAfter), StableAfter.ToString(), "must lie in (0, 10 min]");
        }
        if (MinimumMembers < 1)
        {
            throw new ClusterConfigurationException(nameof(MinimumMembers), MinimumMembers.ToString(), "must be >= 1");
        }
        if (ShutdownTimeout <= TimeSpan.Zero || ShutdownTimeout > TimeSpan.FromMinutes(10))
        {
            throw new ClusterConfigurationException(nameof(ShutdownTimeout), ShutdownTimeout.ToString(), "must lie in (0, 10 min]");
        }
        Management.Validate(this);
        return this;
    }

    private void ValidateSeed(string seed)
    {
        Address address;
        try
        {
            address = Address.Parse(seed);
        }
        catch (Exception ex) when (ex is UriFormatException or ArgumentException or FormatException)
        {
            throw new ClusterConfigurationException(nameof(Seeds), seed, $"not an Akka address like akka.tcp://{SystemName}@host:{DefaultPort} ({ex.Message})");
        }
        if (address.Protocol is not ("akka.tcp" or "akka.ssl.tcp") || string.IsNullOrEmpty(address.Host) || address.Port is null or <= 0)
        {
            throw new ClusterConfigurationException(nameof(Seeds), seed, $"must look like akka.tcp://{SystemName}@host:port");
        }
        if (address.System != SystemName)
        {
            throw new ClusterConfigurationException(nameof(Seeds), seed, $"names system '{address.System}' but this node's system is '{SystemName}'");
        }
    }

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_-]*$")]
    private static partial Regex SystemNamePattern();
}
