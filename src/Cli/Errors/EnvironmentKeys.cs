using System.Collections;
using MsMano.Cluster.Options;
using MsMano.Cluster.Evaluation;
using MsMano.Cluster.Learner;
using MsMano.Cluster.Logging;
using MsMano.Cluster.Simulation;

namespace MsMano.Cli.Errors;

/// <summary>
/// Every MSMANO__* environment variable must be one a binder reads: a misspelt one would otherwise be ignored in
/// silence and the run would use a default the operator thought was overridden. The error suggests the closest name.
/// </summary>
public static class EnvironmentKeys
{
    public const string Prefix = "MSMANO__";
    public const string LoggingLevel = "MSMANO__LOGGING__LEVEL";

    /// <summary>The learning mode (<see cref="LearningModes.Key"/>), read by embedded, learner and sim.</summary>
    public const string Learning = "MSMANO__LEARNING";

    /// <summary>Every variable name a binder reads (lists as their base name).</summary>
    public static IReadOnlyList<string> Known { get; } =
    [
        // LogSetup reads all three; the manifests' ConfigMap sets FORMAT and FILE, so refusing them stops every pod.
        .. LogProperties.EnvironmentVariables,
        Learning,
        .. ClusterNodeOptionsBinder.Keys.Select(k => Name("CLUSTER", k)),
        .. LearnerSettingsBinder.Keys.Select(k => Name("LEARNER", k)),
        .. LearnerSettingsBinder.PpoKeys.Select(k => Name("PPO", k)),
        .. SimulationNodeSettingsBinder.Keys.Select(k => Name("SIM", k)),
        .. EvaluationSettingsBinder.Keys.Select(k => Name("EVALUATION", k)),
    ];

    /// <summary>True when a binder reads <paramref name="name"/> (indexed list entries included).</summary>
    public static bool IsKnown(string name)
    {
        return LogProperties.EnvironmentVariables.Contains(name, StringComparer.OrdinalIgnoreCase)
            || name.Equals(Learning, StringComparison.OrdinalIgnoreCase)
            || ClusterNodeOptionsBinder.IsKnownEnvironmentVariable(name)
            || LearnerSettingsBinder.IsKnownEnvironmentVariable(name)
            || SimulationNodeSettingsBinder.IsKnownEnvironmentVariable(name)
            || EvaluationSettingsBinder.IsKnownEnvironmentVariable(name);
    }

    /// <summary>Throws <see cref="UserError"/> for the first MSMANO__* variable no binder reads, with a did-you-mean.</summary>
    public static void Check(IDictionary environment)
    {
        foreach (string name in environment.Keys.OfType<string>().Order(StringComparer.Ordinal))
        {
            if (name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && !IsKnown(name))
            {
                string closest = Known.MinBy(k => Distance(k, name.ToUpperInvariant()))!;
                throw new UserError($"environment variable {name} is not a setting msmano reads; did you mean {closest}?");
            }
        }
    }

    private static string Name(string section, string key) => $"{Prefix}{section}__{key.ToUpperInvariant()}";

    // Levenshtein distance; names are short, so the quadratic table is fine.
    private static int Distance(string a, string b)
    {
        var row = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            row[j] = j;
        }
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }
}
