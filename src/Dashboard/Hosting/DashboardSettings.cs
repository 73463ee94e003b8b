namespace MsMano.Dashboard.Hosting;

/// <summary>Where the dashboard listens and what it serves.</summary>
public sealed record DashboardSettings
{
    public const int DefaultPort = 8080;

    /// <summary>False: no endpoint at all (<c>--no-dashboard</c>).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>TCP port; 0 picks a free one (tests).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>Interface to bind: 127.0.0.1 for a workstation, 0.0.0.0 in a pod.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Folder of recorded clips the viewer may load; null: none.</summary>
    public string? ClipsDirectory { get; init; }

    public DashboardSettings Validate()
    {
        if (Port is < 0 or > 65535)
        {
            throw new ArgumentException($"dashboard port: {Port} is not a TCP port (0-65535).");
        }
        if (string.IsNullOrWhiteSpace(Host))
        {
            throw new ArgumentException("dashboard host: must not be empty.");
        }
        return this;
    }
}
