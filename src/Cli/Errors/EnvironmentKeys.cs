using System.Collections;
using MsMano.Cluster.Settings;

namespace MsMano.Cli.Errors;

/// <summary>
/// Every MSMANO__* environment variable must be one a binder reads: a misspelt one would otherwise be ignored in
/// silence and the run would use a default the operator thought was overridden. Checked at start for every command
/// (the configuration itself checks appsettings keys too, see <see cref="SettingsKeys"/>); the error suggests the
/// closest name.
/// </summary>
public static class EnvironmentKeys
{
    public const string Prefix = "MSMANO__";
    public const string LoggingLevel = "MSMANO__LOGGING__LEVEL";

    /// <summary>Every variable name a binder reads (lists as their base name).</summary>
    public static IReadOnlyList<string> Known { get; } = [.. SettingsKeys.All.Where(k => k.StartsWith(SettingsKeys.Root + ":", StringComparison.Ordinal)).Select(SettingsKeys.EnvironmentName)];

    /// <summary>True when a binder reads <paramref name="name"/> (indexed list entries included).</summary>
    public static bool IsKnown(string name)
    {
        return SettingsKeys.IsKnown(name.Replace("__", ":", StringComparison.Ordinal));
    }

    /// <summary>Throws <see cref="UserError"/> for the first MSMANO__* variable no binder reads, with a did-you-mean.</summary>
    public static void Check(IDictionary environment)
    {
        foreach (string name in environment.Keys.OfType<string>().Order(StringComparer.Ordinal))
        {
            if (name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && !IsKnown(name))
            {
                string closest = SettingsKeys.EnvironmentName(SettingsKeys.Closest(name.Replace("__", ":", StringComparison.Ordinal)));
                throw new UserError($"environment variable {name} is not a setting msmano reads; did you mean {closest}?");
            }
        }
    }
}
