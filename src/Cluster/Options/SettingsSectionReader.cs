using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace MsMano.Cluster.Options;

/// <summary>
/// Typed reads of one configuration section; a value that does not parse throws
/// <see cref="ClusterConfigurationException"/> naming its full configuration path. Shared by every settings binder
/// (cluster, learner, simulation node) so a bad value reads the same way wherever it is.
/// </summary>
public sealed class SettingsSectionReader(IConfigurationSection section, string path)
{
    /// <summary>
    /// True when the environment variable <paramref name="name"/> sets one of <paramref name="keys"/> of
    /// <paramref name="sectionPath"/>: "MsMano:Sim" and key Actors are read from MSMANO__SIM__ACTORS (any case).
    /// </summary>
    public static bool IsEnvironmentVariableFor(string name, string sectionPath, IReadOnlyList<string> keys)
    {
        string[] parts = name.Split("__");
        string[] section = sectionPath.Split(':');
        if (parts.Length != section.Length + 1)
        {
            return false;
        }
        for (int i = 0; i < section.Length; i++)
        {
            if (!parts[i].Equals(section[i], StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }
        return keys.Contains(parts[^1], StringComparer.OrdinalIgnoreCase);
    }

    public bool Has(string key)
    {
        return section.GetSection(key).Value is not null;
    }

    public string? String(string key)
    {
        return section.GetSection(key).Value?.Trim();
    }

    public IReadOnlyList<string>? List(string key)
    {
        IConfigurationSection child = section.GetSection(key);
        var indexed = child.GetChildren()
            .Where(c => c.Value is not null)
            .Select(c => (Index: ParseIndex(c, path + ":" + key), Value: c.Value!.Trim()))
            .OrderBy(c => c.Index)
            .Select(c => c.Value)
            .ToList();
        if (indexed.Count > 0)
        {
            return indexed;
        }
        if (child.Value is null)
        {
            return null;
        }
        return child.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    public int? Int(string key)
    {
        string? raw = String(key);
        if (raw is null)
        {
            return null;
        }
        if (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
        {
            throw new ClusterConfigurationException(path + ":" + key, raw, "must be an integer");
        }
        return value;
    }

    public double? Double(string key)
    {
        string? raw = String(key);
        if (raw is null)
        {
            return null;
        }
        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            throw new ClusterConfigurationException(path + ":" + key, raw, "must be a finite number");
        }
        return value;
    }

    public long? Long(string key)
    {
        string? raw = String(key);
        if (raw is null)
        {
            return null;
        }
        if (!long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value))
        {
            throw new ClusterConfigurationException(path + ":" + key, raw, "must be an integer");
        }
        return value;
    }

    public bool? Bool(string key)
    {
        string? raw = String(key);
        if (raw is null)
        {
            return null;
        }
        return raw.ToLowerInvariant() switch
        {
            "true" or "on" or "yes" or "1" => true,
            "false" or "off" or "no" or "0" => false,
            _ => throw new ClusterConfigurationException(path + ":" + key, raw, "must be true/false (or on/off)"),
        };
    }

    /// <summary>Accepts "20s", "500ms", "2m" or a TimeSpan such as "00:00:20".</summary>
    public TimeSpan? Duration(string key)
    {
        string? raw = String(key);
        if (raw is null)
        {
            return null;
        }
        if (TryParseWithUnit(raw, out TimeSpan value) || TimeSpan.TryParse(raw, CultureInfo.InvariantCulture, out value))
        {
            return value;
        }
        throw new ClusterConfigurationException(path + ":" + key, raw, "must be a duration like 20s, 500ms, 2m or 00:00:20");
    }

    private static bool TryParseWithUnit(string raw, out TimeSpan value)
    {
        (string Suffix, double Seconds)[] units = [("ms", 0.001), ("s", 1), ("m", 60)];
        foreach ((string suffix, double seconds) in units)
        {
            if (raw.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(raw[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out double number))
            {
                value = TimeSpan.FromSeconds(number * seconds);
                return true;
            }
        }
        value = default;
        return false;
    }

    private static int ParseIndex(IConfigurationSection child, string listPath)
    {
        if (!int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
        {
            throw new ClusterConfigurationException(listPath + ":" + child.Key, child.Value, "list entries must be indexed 0, 1, 2, ...");
        }
        return index;
    }
}
