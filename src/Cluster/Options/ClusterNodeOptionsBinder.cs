using System.Globalization;
using Microsoft.Extensions.Configuration;
using MsMano.Cluster.Management;

namespace MsMano.Cluster.Options;

/// <summary>
/// Reads <see cref="ClusterNodeOptions"/> from configuration. Two sections are read, later wins:
/// <c>Cluster</c> (WebCrawler-style environment: <c>CLUSTER__IP</c>, <c>CLUSTER__PORT</c>, <c>CLUSTER__SEEDS__0..n</c>)
/// and <c>MsMano:Cluster</c> (the project convention: <c>MSMANO__CLUSTER__PORT</c>, appsettings, flags).
/// List settings accept either indexed children (<c>Seeds:0</c>) or one comma-separated value.
/// </summary>
public static class ClusterNodeOptionsBinder
{
    public const string Section = "Cluster";
    public const string ProjectSection = "MsMano:Cluster";

    // Setting names inside a section (case-insensitive, as IConfiguration keys are).
    public const string SystemNameKey = "SystemName";
    public const string RolesKey = "Roles";
    public const string HostnameKey = "Hostname";
    public const string PublicHostnameKey = "PublicHostname";
    /// <summary>WebCrawler/Akka.Bootstrap.Docker name for the public hostname (CLUSTER__IP).</summary>
    public const string IpKey = "Ip";
    public const string PortKey = "Port";
    public const string SeedsKey = "Seeds";
    public const string MaximumFrameSizeKey = "MaximumFrameSize";
    public const string SendBufferSizeKey = "SendBufferSize";
    public const string ReceiveBufferSizeKey = "ReceiveBufferSize";
    public const string StableAfterKey = "StableAfter";
    public const string DownAllWhenUnstableKey = "DownAllWhenUnstable";
    public const string MinimumMembersKey = "MinimumMembers";
    public const string ReadinessFileKey = "ReadinessFile";
    public const string ShutdownTimeoutKey = "ShutdownTimeout";
    // Management port and cluster formation (Management/ManagementOptions).
    public const string FormationKey = "Formation";
    public const string ManagementPortKey = "ManagementPort";
    public const string ManagementHostnameKey = "ManagementHostname";
    public const string ContactPointsKey = "ContactPoints";
    public const string PodLabelSelectorKey = "PodLabelSelector";
    public const string RequiredContactPointsKey = "RequiredContactPoints";
    public const string BootstrapStableMarginKey = "BootstrapStableMargin";
    /// <summary>PKCS#12 file of the cluster certificate (with its key); set = node-to-node mutual TLS.</summary>
    public const string TlsCertificateKey = "TlsCertificate";
    /// <summary>File whose first line is the PKCS#12 password (a mounted Secret key); unset = no password.</summary>
    public const string TlsPasswordFileKey = "TlsPasswordFile";

    public static IReadOnlyList<string> Keys { get; } =
    [
        SystemNameKey, RolesKey, HostnameKey, PublicHostnameKey, IpKey, PortKey, SeedsKey, MaximumFrameSizeKey,
        SendBufferSizeKey, ReceiveBufferSizeKey, StableAfterKey, DownAllWhenUnstableKey, MinimumMembersKey,
        ReadinessFileKey, ShutdownTimeoutKey, FormationKey, ManagementPortKey, ManagementHostnameKey, ContactPointsKey,
        PodLabelSelectorKey, RequiredContactPointsKey, BootstrapStableMarginKey, TlsCertificateKey, TlsPasswordFileKey,
    ];

    /// <summary>Short command-line flags, mapped into the project section.</summary>
    public static IReadOnlyDictionary<string, string> CommandLineFlags { get; } = new Dictionary<string, string>
    {
        ["--system-name"] = ProjectSection + ":" + SystemNameKey,
        ["--roles"] = ProjectSection + ":" + RolesKey,
        ["--hostname"] = ProjectSection + ":" + HostnameKey,
        ["--public-hostname"] = ProjectSection + ":" + PublicHostnameKey,
        ["--port"] = ProjectSection + ":" + PortKey,
        ["--seeds"] = ProjectSection + ":" + SeedsKey,
        ["--max-frame-size"] = ProjectSection + ":" + MaximumFrameSizeKey,
        ["--stable-after"] = ProjectSection + ":" + StableAfterKey,
        ["--min-members"] = ProjectSection + ":" + MinimumMembersKey,
        ["--readiness-file"] = ProjectSection + ":" + ReadinessFileKey,
        ["--shutdown-timeout"] = ProjectSection + ":" + ShutdownTimeoutKey,
        ["--formation"] = ProjectSection + ":" + FormationKey,
        ["--management-port"] = ProjectSection + ":" + ManagementPortKey,
        ["--contact-points"] = ProjectSection + ":" + ContactPointsKey,
        ["--tls-certificate"] = ProjectSection + ":" + TlsCertificateKey,
        ["--tls-password-file"] = ProjectSection + ":" + TlsPasswordFileKey,
    };

    /// <summary>
    /// True when an environment variable name is one this binder reads (e.g. CLUSTER__SEEDS__2, MSMANO__CLUSTER__PORT).
    /// </summary>
    public static bool IsKnownEnvironmentVariable(string name)
    {
        string[] parts = name.Split("__");
        int skip = parts.Length > 0 && parts[0].Equals("MSMANO", StringComparison.OrdinalIgnoreCase) ? 1 : 0;
        if (parts.Length < skip + 2 || !parts[skip].Equals(Section, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        string key = parts[skip + 1];
        if (!Keys.Contains(key, StringComparer.OrdinalIgnoreCase))
        {
            return false;
        }
        int rest = parts.Length - skip - 2;
        bool isList = key.Equals(SeedsKey, StringComparison.OrdinalIgnoreCase) || key.Equals(RolesKey, StringComparison.OrdinalIgnoreCase)
            || key.Equals(ContactPointsKey, StringComparison.OrdinalIgnoreCase);
        return rest == 0 || (rest == 1 && isList && int.TryParse(parts[^1], NumberStyles.None, CultureInfo.InvariantCulture, out _));
    }

    /// <summary>Binds and validates; <paramref name="defaults"/> supplies every setting the configuration omits.</summary>
    public static ClusterNodeOptions Bind(IConfiguration configuration, ClusterNodeOptions? defaults = null)
    {
        ClusterNodeOptions options = defaults ?? new ClusterNodeOptions();
        options = Apply(Binding.SettingsBinder.Bind(configuration, Section, new ClusterSection(), Keys), options);
        options = Apply(Binding.SettingsBinder.Bind(configuration, ProjectSection, new ClusterSection(), Keys), options);
        return options.Validate();
    }

    private static ClusterNodeOptions Apply(ClusterSection s, ClusterNodeOptions o)
    {
        string? certificate = s.TlsCertificate?.Trim();
        Tls.ClusterTls? tls = string.IsNullOrWhiteSpace(certificate)
            ? o.Tls
            : Tls.ClusterTls.FromFile(certificate, s.TlsPasswordFile?.Trim(), TlsCertificateKey);
        return o with
        {
            SystemName = s.SystemName?.Trim() ?? o.SystemName,
            Roles = Trimmed(s.Roles) ?? o.Roles,
            Hostname = s.Hostname?.Trim() ?? o.Hostname,
            PublicHostname = (s.PublicHostname ?? s.Ip)?.Trim() ?? o.PublicHostname,
            Port = s.Port ?? o.Port,
            Seeds = Trimmed(s.Seeds) ?? o.Seeds,
            MaximumFrameSize = s.MaximumFrameSize ?? o.MaximumFrameSize,
            SendBufferSize = s.SendBufferSize ?? o.SendBufferSize,
            ReceiveBufferSize = s.ReceiveBufferSize ?? o.ReceiveBufferSize,
            StableAfter = s.StableAfter ?? o.StableAfter,
            DownAllWhenUnstable = s.DownAllWhenUnstable ?? o.DownAllWhenUnstable,
            MinimumMembers = s.MinimumMembers ?? o.MinimumMembers,
            ReadinessFile = s.ReadinessFile is null ? o.ReadinessFile : NullIfEmpty(s.ReadinessFile),
            ShutdownTimeout = s.ShutdownTimeout ?? o.ShutdownTimeout,
            Tls = tls,
            Management = ApplyManagement(s, o.Management),
        };
    }

    private static ManagementOptions ApplyManagement(ClusterSection s, ManagementOptions m)
    {
        ClusterFormation formation = s.Formation ?? m.Formation;
        if (!Enum.IsDefined(formation))
        {
            throw new ClusterConfigurationException(FormationKey, ((int)formation).ToString(CultureInfo.InvariantCulture), $"use one of {string.Join(", ", Enum.GetNames<ClusterFormation>())}");
        }
        int? port = s.ManagementPort;
        return m with
        {
            // Naming a port or a discovery formation turns the endpoint on; a formation without a port uses 8558.
            Enabled = m.Enabled || port is not null || formation != ClusterFormation.Seeds,
            Formation = formation,
            Port = port ?? m.Port,
            Hostname = s.ManagementHostname?.Trim() ?? m.Hostname,
            ContactPoints = Trimmed(s.ContactPoints) ?? m.ContactPoints,
            PodLabelSelector = s.PodLabelSelector?.Trim() ?? m.PodLabelSelector,
            RequiredContactPoints = s.RequiredContactPoints ?? m.RequiredContactPoints,
            StableMargin = s.BootstrapStableMargin ?? m.StableMargin,
        };
    }

    private static IReadOnlyList<string>? Trimmed(IReadOnlyList<string>? list)
    {
        return list?.Select(v => v.Trim()).Where(v => v.Length > 0).ToArray();
    }

    /// <summary>One configuration section as written (every key optional); <see cref="Apply"/> maps it onto the options.</summary>
    private sealed class ClusterSection
    {
        public string? SystemName { get; set; }
        public IReadOnlyList<string>? Roles { get; set; }
        public string? Hostname { get; set; }
        public string? PublicHostname { get; set; }
        public string? Ip { get; set; }
        public int? Port { get; set; }
        public IReadOnlyList<string>? Seeds { get; set; }
        public int? MaximumFrameSize { get; set; }
        public int? SendBufferSize { get; set; }
        public int? ReceiveBufferSize { get; set; }
        public TimeSpan? StableAfter { get; set; }
        public bool? DownAllWhenUnstable { get; set; }
        public int? MinimumMembers { get; set; }
        public string? ReadinessFile { get; set; }
        public TimeSpan? ShutdownTimeout { get; set; }
        public ClusterFormation? Formation { get; set; }
        public int? ManagementPort { get; set; }
        public string? ManagementHostname { get; set; }
        public IReadOnlyList<string>? ContactPoints { get; set; }
        public string? PodLabelSelector { get; set; }
        public int? RequiredContactPoints { get; set; }
        public TimeSpan? BootstrapStableMargin { get; set; }
        public string? TlsCertificate { get; set; }
        public string? TlsPasswordFile { get; set; }
    }

    private static string? NullIfEmpty(string? value)
    {
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }
}
