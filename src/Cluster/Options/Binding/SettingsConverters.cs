using System.ComponentModel;
using System.Globalization;

namespace MsMano.Cluster.Options.Binding;

/// <summary>
/// The value formats operators write, registered once with <see cref="TypeDescriptor"/> so configuration binding
/// (which converts through TypeDescriptor) reads them: durations as "20s", "500ms", "2m", "1h" or "00:00:20";
/// switches as true/false, on/off, yes/no, 1/0; lists as one comma-separated value or indexed children.
/// </summary>
public static class SettingsConverters
{
    private static readonly Lazy<bool> s_registered = new(() =>
    {
        TypeDescriptor.AddAttributes(typeof(TimeSpan), new TypeConverterAttribute(typeof(DurationConverter)));
        TypeDescriptor.AddAttributes(typeof(bool), new TypeConverterAttribute(typeof(SwitchConverter)));
        TypeDescriptor.AddAttributes(typeof(IReadOnlyList<string>), new TypeConverterAttribute(typeof(StringListConverter)));
        TypeDescriptor.AddAttributes(typeof(IReadOnlyList<int>), new TypeConverterAttribute(typeof(IntListConverter)));
        return true;
    });

    /// <summary>Registers the converters (idempotent, thread-safe).</summary>
    public static void Register() => _ = s_registered.Value;

    /// <summary>"20s", "500ms", "2m", "1h" or a TimeSpan such as "00:00:20"; null when it is none of them.</summary>
    public static TimeSpan? ParseDuration(string text)
    {
        string raw = text.Trim();
        (string Suffix, double Seconds)[] units = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)];
        foreach ((string suffix, double seconds) in units)
        {
            if (raw.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(raw[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out double number)
                && double.IsFinite(number) && Math.Abs(number * seconds) < TimeSpan.MaxValue.TotalSeconds)
            {
                return TimeSpan.FromSeconds(number * seconds);
            }
        }
        // A bare number would parse as days ("90" = 90 days): a duration needs a unit or the hh:mm:ss form.
        if (!raw.Contains(':', StringComparison.Ordinal))
        {
            return null;
        }
        return TimeSpan.TryParse(raw, CultureInfo.InvariantCulture, out TimeSpan value) ? value : null;
    }

    public static bool? ParseSwitch(string text)
    {
        return text.Trim().ToLowerInvariant() switch
        {
            "true" or "on" or "yes" or "1" => true,
            "false" or "off" or "no" or "0" => false,
            _ => null,
        };
    }

    public static string[] SplitList(string text)
    {
        return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}

/// <summary>Durations with a unit ("20s") or as a TimeSpan ("00:00:20").</summary>
public sealed class DurationConverter : TimeSpanConverter
{
    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value)
    {
        return value is string text
            ? SettingsConverters.ParseDuration(text) ?? throw new FormatException($"'{text}' is not a duration like 20s, 500ms, 2m or 00:00:20")
            : base.ConvertFrom(context, culture, value);
    }
}

/// <summary>true/false, on/off, yes/no, 1/0.</summary>
public sealed class SwitchConverter : BooleanConverter
{
    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value)
    {
        return value is string text
            ? SettingsConverters.ParseSwitch(text) ?? throw new FormatException($"'{text}' is not true/false (or on/off)")
            : base.ConvertFrom(context, culture, value);
    }
}

/// <summary>One comma-separated value as a list ("a, b"); indexed children are bound as a list without it.</summary>
public sealed class StringListConverter : TypeConverter
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) => sourceType == typeof(string);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value)
    {
        return value is string text ? SettingsConverters.SplitList(text) : base.ConvertFrom(context, culture, value);
    }
}

/// <summary>One comma-separated value of integers ("256,256").</summary>
public sealed class IntListConverter : TypeConverter
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) => sourceType == typeof(string);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value)
    {
        if (value is not string text)
        {
            return base.ConvertFrom(context, culture, value);
        }
        return SettingsConverters.SplitList(text)
            .Select(t => int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : throw new FormatException($"'{t}' is not an integer"))
            .ToArray();
    }
}
