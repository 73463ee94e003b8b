using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using MsMano.Cluster.Evaluation;
using MsMano.Cluster.Learner;
using MsMano.Cluster.Options;
using MsMano.Cluster.Options.Binding;
using MsMano.Cluster.Simulation;
using MsMano.Learning.Ppo;

namespace MsMano.Cluster.Settings;

/// <summary>
/// Every configuration key msmano reads, from the binders' own key lists: a key under <c>MsMano</c> (from
/// appsettings.json, an <c>MSMANO__*</c> variable or a flag) or under <c>Cluster</c> in appsettings.json that is not
/// one of them is refused naming its source, with the closest known key, instead of being ignored in silence.
/// </summary>
public static class SettingsKeys
{
    public const string Root = "MsMano";
    public const string LoggingLevel = "MsMano:Logging:Level";

    /// <summary>The logging settings (read by the Cli's log setup from MSMANO__LOGGING__*, see LogProperties).</summary>
    public static IReadOnlyList<string> LoggingKeys { get; } = [LoggingLevel, "MsMano:Logging:Format", "MsMano:Logging:File"];

    private static readonly (string Section, IReadOnlyList<string> Keys, string[] Lists)[] s_sections =
    [
        (ClusterNodeOptionsBinder.Section, ClusterNodeOptionsBinder.Keys, [ClusterNodeOptionsBinder.RolesKey, ClusterNodeOptionsBinder.SeedsKey, ClusterNodeOptionsBinder.ContactPointsKey]),
        (ClusterNodeOptionsBinder.ProjectSection, ClusterNodeOptionsBinder.Keys, [ClusterNodeOptionsBinder.RolesKey, ClusterNodeOptionsBinder.SeedsKey, ClusterNodeOptionsBinder.ContactPointsKey]),
        (LearnerSettingsBinder.Section, LearnerSettingsBinder.Keys, []),
        (LearnerSettingsBinder.PpoSection, LearnerSettingsBinder.PpoKeys, [nameof(PpoConfig.Hidden)]),
        (SimulationNodeSettingsBinder.Section, SimulationNodeSettingsBinder.Keys, []),
        (EvaluationSettingsBinder.Section, EvaluationSettingsBinder.Keys, []),
        // The dashboard's binder sits a layer above (MsMano.Dashboard); its section is named here so its keys are known.
        ("MsMano:Dashboard", ["Enabled", "Port", "Host", "ClipsDirectory"], []),
    ];

    /// <summary>Every key path (lists by their base name).</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        .. LoggingKeys,
        LearningModes.Key,
        .. s_sections.SelectMany(s => s.Keys.Select(k => $"{s.Section}:{k}")),
    ];

    /// <summary>True when <paramref name="path"/> (':'-separated, any case) is a key msmano reads; list entries by index.</summary>
    public static bool IsKnown(string path)
    {
        if (LoggingKeys.Contains(path, StringComparer.OrdinalIgnoreCase) || path.Equals(LearningModes.Key, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        foreach ((string section, IReadOnlyList<string> keys, string[] lists) in s_sections)
        {
            if (!path.StartsWith(section + ":", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            string[] rest = path[(section.Length + 1)..].Split(':');
            string? key = keys.FirstOrDefault(k => k.Equals(rest[0], StringComparison.OrdinalIgnoreCase));
            if (key is null)
            {
                return false;
            }
            bool isList = lists.Contains(key, StringComparer.OrdinalIgnoreCase);
            return rest.Length == 1 || (rest.Length == 2 && isList && int.TryParse(rest[1], NumberStyles.None, CultureInfo.InvariantCulture, out _));
        }
        return false;
    }

    /// <summary>The known key closest to <paramref name="path"/>.</summary>
    public static string Closest(string path)
    {
        bool project = path.StartsWith(Root + ":", StringComparison.OrdinalIgnoreCase);
        return SettingsBinder.Closest(path, All.Where(k => k.StartsWith(Root + ":", StringComparison.Ordinal) == project));
    }

    /// <summary>
    /// Throws <see cref="ClusterConfigurationException"/> for the first key under <c>MsMano</c> (any source) or under
    /// <c>Cluster</c> (appsettings files; the environment's CLUSTER__* namespace is shared with other tools) that no
    /// binder reads, naming where it was set.
    /// </summary>
    public static void Check(IConfigurationRoot root)
    {
        ArgumentNullException.ThrowIfNull(root);
        foreach ((string path, string? value) in root.AsEnumerable().OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            bool underRoot = path.StartsWith(Root + ":", StringComparison.OrdinalIgnoreCase) || path.Equals(Root, StringComparison.OrdinalIgnoreCase);
            bool underCluster = path.StartsWith(ClusterNodeOptionsBinder.Section + ":", StringComparison.OrdinalIgnoreCase);
            if (value is null || (!underRoot && !underCluster) || IsKnown(path))
            {
                continue;
            }
            IConfigurationProvider? source = root.Providers.Reverse().FirstOrDefault(p => p.TryGet(path, out _));
            if (underCluster && source is not FileConfigurationProvider)
            {
                continue;
            }
            throw Unknown(path, source);
        }
    }

    private static ClusterConfigurationException Unknown(string path, IConfigurationProvider? source)
    {
        string closest = Closest(path);
        string message = source switch
        {
            EnvironmentVariablesConfigurationProvider or EnvironmentDictionaryProvider =>
                $"environment variable {EnvironmentName(path)} is not a setting msmano reads; did you mean {EnvironmentName(closest)}?",
            FileConfigurationProvider file =>
                $"{file.Source.Path}: key {path} is not a setting msmano reads; did you mean {closest}?",
            _ => $"setting {path} is not one msmano reads; did you mean {closest}?",
        };
        return new ClusterConfigurationException(path, message);
    }

    /// <summary>The environment variable that sets <paramref name="path"/> (MsMano:Learner:BatchSize → MSMANO__LEARNER__BATCHSIZE).</summary>
    public static string EnvironmentName(string path) => path.Replace(":", "__", StringComparison.Ordinal).ToUpperInvariant();
}
