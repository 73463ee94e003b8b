using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace MsMano.Dashboard.Hosting;

/// <summary>
/// Reads <see cref="DashboardSettings"/> from configuration: section <c>MsMano:Dashboard</c>, i.e. the environment
/// variables <c>MSMANO__DASHBOARD__ENABLED</c>, <c>__PORT</c>, <c>__HOST</c> and <c>__CLIPSDIRECTORY</c> (how a pod
/// switches it). Command-line flags are layered above it by the caller.
/// </summary>
public static class DashboardSettingsBinder
{
    public const string Section = "MsMano:Dashboard";

    /// <summary>The keys under <see cref="Section"/>.</summary>
    public static IReadOnlyList<string> Keys { get; } = [nameof(DashboardSettings.Enabled), nameof(DashboardSettings.Port), nameof(DashboardSettings.Host), nameof(DashboardSettings.ClipsDirectory)];

    /// <summary>True for an environment variable this binder reads.</summary>
    public static bool IsKnownEnvironmentVariable(string name) =>
        Keys.Any(k => string.Equals(name, $"MSMANO__DASHBOARD__{k}", StringComparison.OrdinalIgnoreCase));

    /// <summary>The settings, each value from configuration where set, else from <paramref name="defaults"/>; a bad value throws one line naming it.</summary>
    public static DashboardSettings Bind(IConfiguration configuration, DashboardSettings defaults)
    {
        IConfigurationSection section = configuration.GetSection(Section);
        string? Text(string key) => section[key] is { Length: > 0 } text ? text.Trim() : null;
        return (defaults with
        {
            Enabled = Text(nameof(DashboardSettings.Enabled)) is { } enabled
                ? bool.TryParse(enabled, out bool on) ? on : throw Bad(nameof(DashboardSettings.Enabled), enabled, "must be true or false")
                : defaults.Enabled,
            Port = Text(nameof(DashboardSettings.Port)) is { } port
                ? int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int p) ? p : throw Bad(nameof(DashboardSettings.Port), port, "must be a TCP port (0-65535)")
                : defaults.Port,
            Host = Text(nameof(DashboardSettings.Host)) ?? defaults.Host,
            ClipsDirectory = Text(nameof(DashboardSettings.ClipsDirectory)) ?? defaults.ClipsDirectory,
        }).Validate();
    }

    private static ArgumentException Bad(string key, string value, string why) =>
        new($"{Section}:{key} (MSMANO__DASHBOARD__{key.ToUpperInvariant()}) = '{value}': {why}.");
}
