using System.Globalization;
using MsMano.Cluster.Options;

namespace MsMano.Cluster.Management;

/// <summary>
/// The management HTTP port (Cluster Bootstrap's contact point, health probes, Prometheus metrics) and how the
/// node forms its cluster. Off by default for in-process nodes (<see cref="ClusterNodeOptions.Local"/>); the hosts
/// and the manifests turn it on.
/// </summary>
public sealed record ManagementOptions
{
    /// <summary>Akka.Management's conventional port; the manifests name it <c>management</c>.</summary>
    public const int DefaultPort = 8558;

    public const string DefaultServiceName = "msmano";

    /// <summary>Every pod of the job (learner and sims) carries this label; bootstrap looks for it.</summary>
    public const string DefaultPodLabelSelector = "app.kubernetes.io/part-of=msmano";

    public static ManagementOptions Disabled { get; } = new();

    /// <summary>Serve the management HTTP endpoint at all (required by the discovery formations); off unless asked for, so several processes on one machine never fight over one port.</summary>
    public bool Enabled { get; init; }

    public ClusterFormation Formation { get; init; } = ClusterFormation.Seeds;

    /// <summary>Address the HTTP server binds to.</summary>
    public string BindHostname { get; init; } = "0.0.0.0";

    /// <summary>Address other nodes use to reach this one's management endpoint; empty = the node's public hostname.</summary>
    public string Hostname { get; init; } = "";

    public int Port { get; init; } = DefaultPort;

    /// <summary>Config formation: every node's management endpoint as host:port, identical on every node.</summary>
    public IReadOnlyList<string> ContactPoints { get; init; } = [];

    /// <summary>Bootstrap's service name (the config-discovery service key; Kubernetes: fills the label selector's {0}).</summary>
    public string ServiceName { get; init; } = DefaultServiceName;

    public string PodLabelSelector { get; init; } = DefaultPodLabelSelector;

    /// <summary>A new cluster is founded only once this many contact points are seen and all agree none is in a cluster.</summary>
    public int RequiredContactPoints { get; init; } = 2;

    /// <summary>The discovered set must stay unchanged this long before the lowest address founds a new cluster.</summary>
    public TimeSpan StableMargin { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often discovery is asked and contact points probed while forming.</summary>
    public TimeSpan ProbeInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Seconds without a learner progress report after which the learner's node is no longer ready.</summary>
    public TimeSpan TrainingStaleAfter { get; init; } = TimeSpan.FromSeconds(60);

    public string EffectiveHostname(ClusterNodeOptions node) =>
        string.IsNullOrWhiteSpace(Hostname) ? node.EffectivePublicHostname : Hostname;

    /// <summary>Throws <see cref="ClusterConfigurationException"/> naming the first bad setting.</summary>
    public ManagementOptions Validate(ClusterNodeOptions node)
    {
        const string prefix = "Management";
        if (!Enabled)
        {
            if (Formation != ClusterFormation.Seeds)
            {
                throw new ClusterConfigurationException(prefix + nameof(Formation), Formation.ToString(), "bootstrap needs the management port; enable management or use static seeds");
            }
            return this;
        }
        if (Port < 1 || Port > 65535)
        {
            throw new ClusterConfigurationException(prefix + nameof(Port), Port.ToString(CultureInfo.InvariantCulture), "must lie in [1, 65535] (bootstrap advertises it)");
        }
        if (Formation != ClusterFormation.Seeds && node.Seeds.Count > 0)
        {
            throw new ClusterConfigurationException(nameof(ClusterNodeOptions.Seeds), string.Join(",", node.Seeds), $"give either static seeds or formation {Formation}, not both");
        }
        if (Formation == ClusterFormation.Config)
        {
            if (ContactPoints.Count == 0)
            {
                throw new ClusterConfigurationException(nameof(ContactPoints), "", "config formation needs every node's management endpoint as host:port");
            }
            foreach (string point in ContactPoints)
            {
                ParseContactPoint(point);
            }
        }
        if (string.IsNullOrWhiteSpace(ServiceName))
        {
            throw new ClusterConfigurationException(nameof(ServiceName), ServiceName, "give the bootstrap service name, e.g. msmano");
        }
        if (RequiredContactPoints < 1)
        {
            throw new ClusterConfigurationException(nameof(RequiredContactPoints), RequiredContactPoints.ToString(CultureInfo.InvariantCulture), "must be >= 1");
        }
        if (StableMargin <= TimeSpan.Zero || ProbeInterval <= TimeSpan.Zero || TrainingStaleAfter <= TimeSpan.Zero)
        {
            throw new ClusterConfigurationException(nameof(StableMargin), $"{StableMargin}/{ProbeInterval}/{TrainingStaleAfter}", "stable margin, probe interval and training staleness must be > 0");
        }
        return this;
    }

    /// <summary>host:port of one contact point.</summary>
    public static (string Host, int Port) ParseContactPoint(string point)
    {
        int colon = point.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(point.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            throw new ClusterConfigurationException(nameof(ContactPoints), point, "must look like host:port, e.g. 127.0.0.1:8558");
        }
        return (point[..colon], port);
    }
}
