using System.Collections;
using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace MsMano.Cluster.Options.Binding;

/// <summary>
/// Configuration binding (Microsoft.Extensions.Configuration.Binder) of one settings section onto a settings record,
/// with the checks the binder lacks: a key the record does not read is refused with a did-you-mean, and a value that
/// does not convert is refused naming its full path and the value, both as <see cref="ClusterConfigurationException"/>
/// (one line for the user). Durations, switches and comma lists convert through <see cref="SettingsConverters"/>.
/// </summary>
public static class SettingsBinder
{
    /// <summary>
    /// Binds <paramref name="sectionPath"/> of <paramref name="configuration"/> onto <paramref name="target"/>, a fresh
    /// copy the caller owns (<c>defaults with { }</c>): properties the section does not set keep its values.
    /// Only <paramref name="keys"/> (property names of <typeparamref name="T"/>) may be set.
    /// </summary>
    public static T Bind<T>(IConfiguration configuration, string sectionPath, T target, IReadOnlyList<string> keys)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(target);
        SettingsConverters.Register();
        IConfigurationSection section = configuration.GetSection(sectionPath);
        foreach (IConfigurationSection child in section.GetChildren())
        {
            string? key = keys.FirstOrDefault(k => k.Equals(child.Key, StringComparison.OrdinalIgnoreCase));
            PropertyInfo? property = key is null ? null : typeof(T).GetProperty(key, BindingFlags.Public | BindingFlags.Instance);
            if (property is null)
            {
                throw Unknown(child.Path, child.Value, sectionPath, keys);
            }
            Check(child, $"{sectionPath}:{key}", property, target);
        }
        section.Bind(target);
        return target;
    }

    /// <summary>The closest of <paramref name="candidates"/> to <paramref name="name"/> (Levenshtein, case-insensitive).</summary>
    public static string Closest(string name, IEnumerable<string> candidates)
    {
        return candidates.MinBy(c => Distance(c.ToUpperInvariant(), name.ToUpperInvariant())) ?? "";
    }

    // Errors name the setting as the key list spells it (a variable's path comes in its own case, e.g. STABLEAFTER).
    private static void Check<T>(IConfigurationSection child, string path, PropertyInfo property, T target)
    {
        Type type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        Type? element = ListElement(type);
        var items = child.GetChildren().ToList();
        if (items.Count > 0)
        {
            if (element is null)
            {
                IConfigurationSection extra = items[0];
                throw new ClusterConfigurationException($"{path}:{extra.Key}", extra.Value, $"{property.Name} takes one value, not a list");
            }
            foreach (IConfigurationSection item in items)
            {
                if (!int.TryParse(item.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    throw new ClusterConfigurationException($"{path}:{item.Key}", item.Value, "list entries must be indexed 0, 1, 2, ...");
                }
                Convert($"{path}:{item.Key}", item.Value ?? "", element);
            }
            // The binder appends indexed entries to a list that already holds values; the section replaces the default.
            property.SetValue(target, Array.CreateInstance(element, 0));
            return;
        }
        if (child.Value is not { } value || (value.Length == 0 && (type == typeof(string) || type != property.PropertyType)))
        {
            return;
        }
        if (element is not null && element != typeof(string) && element != typeof(int))
        {
            throw new ClusterConfigurationException(path, value, "must be given as indexed entries");
        }
        Convert(path, value, type);
    }

    private static void Convert(string path, string value, Type type)
    {
        if (type == typeof(string))
        {
            return;
        }
        object? converted;
        try
        {
            converted = TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value.Trim());
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or NotSupportedException or OverflowException)
        {
            throw new ClusterConfigurationException(path, value, Rule(type));
        }
        if (converted is double d && !double.IsFinite(d))
        {
            throw new ClusterConfigurationException(path, value, Rule(type));
        }
    }

    private static string Rule(Type type)
    {
        return type == typeof(int) || type == typeof(long) ? "must be an integer"
            : type == typeof(double) || type == typeof(float) ? "must be a finite number"
            : type == typeof(bool) ? "must be true/false (or on/off)"
            : type == typeof(TimeSpan) ? "must be a duration like 20s, 500ms, 2m or 00:00:20"
            : type.IsEnum ? $"use one of {string.Join(", ", Enum.GetNames(type)).ToLowerInvariant()}"
            : ListElement(type) == typeof(int) ? "must be integers, comma-separated or indexed"
            : $"is not a {type.Name}";
    }

    private static Type? ListElement(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }
        return type.IsGenericType && type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type) ? type.GetGenericArguments()[0] : null;
    }

    private static ClusterConfigurationException Unknown(string path, string? value, string sectionPath, IReadOnlyList<string> keys)
    {
        string closest = Closest(path[(sectionPath.Length + 1)..], keys);
        return new ClusterConfigurationException(path, value, $"no such setting; did you mean {sectionPath}:{closest}?");
    }

    // Levenshtein distance; names are short, so the quadratic table is fine.
    private static int Distance(string a, string b)
    {
        int[] row = new int[b.Length + 1];
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
