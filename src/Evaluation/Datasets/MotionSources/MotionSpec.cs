using System.Globalization;

namespace MsMano.Evaluation.Datasets.MotionSources;

/// <summary>
/// A parsed motion-source spec: "&lt;kind&gt;[:&lt;argument&gt;]". For synthetic the argument is the settings
/// ("synthetic:clips=64,seconds=4,seed=1"); for files and datasets it is a path, optionally followed by settings
/// after a '?' ("dexycb:/data/dexycb?split=test,camera=2").
/// </summary>
public sealed record MotionSpec(string Text, string Kind, string? Path, IReadOnlyDictionary<string, string> Settings)
{
    public static readonly IReadOnlyList<string> Kinds = ["synthetic", "json", "csv", "dexycb", "oakink"];

    private static readonly Dictionary<string, string[]> Keys = new()
    {
        ["synthetic"] = ["clips", "seconds", "seed", "fps", "kinds", "wrist"],
        ["json"] = [],
        ["csv"] = [],
        ["dexycb"] = ["split", "camera", "fps"],
        ["oakink"] = ["split", "part", "views", "fps"],
    };

    public static MotionSpec Parse(string spec)
    {
        if (string.IsNullOrWhiteSpace(spec))
        {
            throw new MotionSpecException(spec ?? "", "spec", $"is empty; expected one of {string.Join(", ", Kinds)} (e.g. 'synthetic' or 'json:<path>')");
        }
        int colon = spec.IndexOf(':', StringComparison.Ordinal);
        string kind = (colon < 0 ? spec : spec[..colon]).Trim().ToLowerInvariant();
        string argument = colon < 0 ? "" : spec[(colon + 1)..];
        if (!Keys.TryGetValue(kind, out string[]? allowed))
        {
            throw new MotionSpecException(spec, $"kind '{kind}'", $"is not a motion source; expected one of {string.Join(", ", Kinds)}");
        }
        string? path = null;
        string settingsText = argument;
        if (kind != "synthetic")
        {
            int question = argument.IndexOf('?', StringComparison.Ordinal);
            path = (question < 0 ? argument : argument[..question]).Trim();
            settingsText = question < 0 ? "" : argument[(question + 1)..];
            if (path.Length == 0)
            {
                throw new MotionSpecException(spec, "path", $"is missing; write '{kind}:<path>'");
            }
        }
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string item in settingsText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = item.IndexOf('=', StringComparison.Ordinal);
            string key = eq < 0 ? item.ToLowerInvariant() : item[..eq].Trim().ToLowerInvariant();
            if (eq < 0 || eq == item.Length - 1)
            {
                throw new MotionSpecException(spec, $"'{item}'", "is not a key=value setting");
            }
            if (!allowed.Contains(key))
            {
                string known = allowed.Length == 0 ? "none" : string.Join(", ", allowed);
                throw new MotionSpecException(spec, $"'{item}'", $"'{key}' is not a setting of {kind} (settings: {known})");
            }
            if (!settings.TryAdd(key, item[(eq + 1)..].Trim()))
            {
                throw new MotionSpecException(spec, $"'{item}'", $"'{key}' is given twice");
            }
        }
        return new MotionSpec(spec, kind, path, settings);
    }

    public int Int(string key, int fallback, int min, int max)
    {
        if (!Settings.TryGetValue(key, out string? text))
        {
            return fallback;
        }
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max
            ? value
            : throw new MotionSpecException(Text, $"{key}={text}", $"expected an integer in [{min}, {max}]");
    }

    public double Double(string key, double fallback, double min, double max)
    {
        if (!Settings.TryGetValue(key, out string? text))
        {
            return fallback;
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value >= min && value <= max
            ? value
            : throw new MotionSpecException(Text, $"{key}={text}", $"expected a number in [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}]");
    }

    /// <summary>One of named choices (case-insensitive).</summary>
    public T Choice<T>(string key, T fallback, IReadOnlyDictionary<string, T> choices)
    {
        if (!Settings.TryGetValue(key, out string? text))
        {
            return fallback;
        }
        return choices.TryGetValue(text.ToLowerInvariant(), out T? value)
            ? value
            : throw new MotionSpecException(Text, $"{key}={text}", $"expected one of {string.Join(", ", choices.Keys)}");
    }
}
