using System.Globalization;

namespace MsMano.Evaluation.Synthetic;

/// <summary>
/// Parses error-model overrides written as <c>key=value,key=value</c> (the CLI's <c>--errors</c>) onto
/// <see cref="SyntheticErrorOptions"/>, so a user can reproduce the benchmark under another base estimator without code.
/// Keys: jitter, drift, tau, occlusion, occlusion-min, occlusion-max, freeze, burst-noise, twist, twist-min, twist-max,
/// twist-min-duration, twist-max-duration, wrist, seed. Units are those of the options (radians, seconds, per second, per frame).
/// </summary>
public static class SyntheticErrorSpec
{
    private static readonly Dictionary<string, Func<SyntheticErrorOptions, double, SyntheticErrorOptions>> Setters = new(StringComparer.OrdinalIgnoreCase)
    {
        ["jitter"] = (o, v) => o with { JitterStd = v },
        ["drift"] = (o, v) => o with { DriftStd = v },
        ["tau"] = (o, v) => o with { DriftTimeConstant = v },
        ["occlusion"] = (o, v) => o with { OcclusionRate = v },
        ["occlusion-min"] = (o, v) => o with { OcclusionMinDuration = v },
        ["occlusion-max"] = (o, v) => o with { OcclusionMaxDuration = v },
        ["freeze"] = (o, v) => o with { OcclusionFreezeProbability = v },
        ["burst-noise"] = (o, v) => o with { OcclusionNoiseStd = v },
        ["twist"] = (o, v) => o with { TwistProbability = v },
        ["twist-min"] = (o, v) => o with { TwistMinAngle = v },
        ["twist-max"] = (o, v) => o with { TwistMaxAngle = v },
        ["twist-min-duration"] = (o, v) => o with { TwistMinDuration = v },
        ["twist-max-duration"] = (o, v) => o with { TwistMaxDuration = v },
        ["wrist"] = (o, v) => o with { WristScale = v },
        ["seed"] = (o, v) => o with { Seed = checked((int)v) },
    };

    /// <summary>Applies <paramref name="spec"/> (null or empty: no change) to <paramref name="defaults"/> and validates the result.</summary>
    public static SyntheticErrorOptions Parse(string? spec, SyntheticErrorOptions defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        SyntheticErrorOptions result = defaults;
        if (string.IsNullOrWhiteSpace(spec))
        {
            return result;
        }

        foreach (string part in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new FormatException($"error model '{spec}': '{part}' is not key=value.");
            }

            string key = part[..eq].Trim();
            string text = part[(eq + 1)..].Trim();
            if (!Setters.TryGetValue(key, out Func<SyntheticErrorOptions, double, SyntheticErrorOptions>? set))
            {
                throw new FormatException($"error model '{spec}': unknown key '{key}'; known: {string.Join(", ", Setters.Keys)}.");
            }

            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            {
                throw new FormatException($"error model '{spec}': {key} = '{text}' is not a finite number.");
            }

            result = set(result, value);
        }

        result.Validate();
        return result;
    }
}
