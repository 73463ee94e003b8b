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
    /// appsettings.json (optional), environment variables (<paramref name="environment"/> when given, else the
    /// process's), then command-line flags, in increasing precedence.
    /// </summary>
    public static IConfiguration BuildConfiguration(
        string[] args, IReadOnlyDictionary<string, string>? environment = null, string? appSettingsPath = null)
    {
        var builder = new ConfigurationBuilder();
        if (appSettingsPath is not null)
        {
            builder.AddJsonFile(Path.GetFullPath(appSettingsPath), optional: true, reloadOnChange: false);
        }
        if (environment is null)
        {
            builder.AddEnvironmentVariables();
        }
        else
        {
            builder.AddInMemoryCollection(EnvironmentToConfiguration(environment));
        }
        builder.AddCommandLine(args, new Dictionary<string, string>(CommandLineFlags));
        return builder.Build();
    }

    /// <summary>The environment-variable provider's rule: "__" separates sections.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> EnvironmentToConfiguration(IReadOnlyDictionary<string, string> environment)
    {
        return environment.Select(kv => new KeyValuePair<string, string?>(kv.Key.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal), kv.Value));
    }

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
        options = Apply(configuration.GetSection(Section), Section, options);
        options = Apply(configuration.GetSection(ProjectSection), ProjectSection, options);
        return options.Validate();
    }

    private static ClusterNodeOptions Apply(IConfigurationSection section, string path, ClusterNodeOptions o)
    {
        var reader = new SettingsSectionReader(section, path);
        string? publicHostname = reader.String(PublicHostnameKey) ?? reader.String(IpKey);
        string? certificate = reader.String(TlsCertificateKey);
        Tls.ClusterTls? tls = string.IsNullOrWhiteSpace(certificate)
            ? o.Tls
            : Tls.ClusterTls.FromFile(certificate, reader.String(TlsPasswordFileKey), TlsCertificateKey);
        return o with
        {
            SystemName = reader.String(SystemNameKey) ?? o.SystemName,
            Roles = reader.List(RolesKey) ?? o.Roles,
            Hostname = reader.String(HostnameKey) ?? o.Hostname,
            PublicHostname = publicHostname ?? o.PublicHostname,
            Port = reader.Int(PortKey) ?? o.Port,
            Seeds = reader.List(SeedsKey) ?? o.Seeds,
            MaximumFrameSize = reader.Int(MaximumFrameSizeKey) ?? o.MaximumFrameSize,
            SendBufferSize = reader.Int(SendBufferSizeKey) ?? o.SendBufferSize,
            ReceiveBufferSize = reader.Int(ReceiveBufferSizeKey) ?? o.ReceiveBufferSize,
            StableAfter = reader.Duration(StableAfterKey) ?? o.StableAfter,
            DownAllWhenUnstable = reader.Bool(DownAllWhenUnstableKey) ?? o.DownAllWhenUnstable,
            MinimumMembers = reader.Int(MinimumMembersKey) ?? o.MinimumMembers,
            ReadinessFile = reader.Has(ReadinessFileKey) ? NullIfEmpty(reader.String(ReadinessFileKey)) : o.ReadinessFile,
            ShutdownTimeout = reader.Duration(ShutdownTimeoutKey) ?? o.ShutdownTimeout,
            Tls = tls,
            Management = ApplyManagement(reader, o.Management),
        };
    }

    private static ManagementOptions ApplyManagement(SettingsSectionReader reader, ManagementOptions m)
    {
        string? formationText = reader.String(FormationKey);
        ClusterFormation formation = m.Formation;
        if (formationText is not null && !Enum.TryParse(formationText, ignoreCase: true, out formation))
        {
            throw new ClusterConfigurationException(FormationKey, formationText, $"use one of {string.Join(", ", Enum.GetNames<ClusterFormation>())}");
        }
        int? port = reader.Int(ManagementPortKey);
        return m with
        {
            // Naming a port or a discovery formation turns the endpoint on; a formation without a port uses 8558.
            Enabled = m.Enabled || port is not null || formation != ClusterFormation.Seeds,
            Formation = formation,
            Port = port ?? m.Port,
            Hostname = reader.String(ManagementHostnameKey) ?? m.Hostname,
            ContactPoints = reader.List(ContactPointsKey) ?? m.ContactPoints,
            PodLabelSelector = reader.String(PodLabelSelectorKey) ?? m.PodLabelSelector,
            RequiredContactPoints = reader.Int(RequiredContactPointsKey) ?? m.RequiredContactPoints,
            StableMargin = reader.Duration(BootstrapStableMarginKey) ?? m.StableMargin,
        };
    }

    private static string? NullIfEmpty(string? value)
    {
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }
}
