using System.Globalization;
using Microsoft.Extensions.Configuration;
using MsMano.Cluster.Options;
using MsMano.Learning.Ppo;

namespace MsMano.Cluster.Learner;

/// <summary>
/// Reads <see cref="LearnerSettings"/> from <c>MsMano:Learner</c> and the PPO hyper-parameters users tune from
/// <c>MsMano:Ppo</c> (environment <c>MSMANO__LEARNER__BATCHSIZE</c>, <c>MSMANO__PPO__LEARNINGRATE</c>, ...; the
/// learner command maps its flags into the same keys).
/// </summary>
public static class LearnerSettingsBinder
{
    public const string Section = "MsMano:Learner";
    public const string PpoSection = "MsMano:Ppo";

    public static IReadOnlyList<string> Keys { get; } =
    [
        nameof(LearnerSettings.BatchSize), nameof(LearnerSettings.MaxPolicyLag), nameof(LearnerSettings.CreditWindow),
        nameof(LearnerSettings.MaxBufferedTransitions), nameof(LearnerSettings.CheckpointDirectory),
        nameof(LearnerSettings.CheckpointEvery), nameof(LearnerSettings.TensorBoardDirectory), nameof(LearnerSettings.MaxUpdates),
        nameof(LearnerSettings.PlateauWindow), nameof(LearnerSettings.PlateauMinImprovement), nameof(LearnerSettings.Train), nameof(LearnerSettings.NodeTimeout), nameof(LearnerSettings.ProgressInterval),
        nameof(LearnerSettings.TorchThreads),
    ];

    public static IReadOnlyList<string> PpoKeys { get; } =
    [
        nameof(PpoConfig.LearningRate), nameof(PpoConfig.Epochs), nameof(PpoConfig.MinibatchSize), nameof(PpoConfig.Gamma),
        nameof(PpoConfig.GaeLambda), nameof(PpoConfig.ClipRange), nameof(PpoConfig.EntropyCoef), nameof(PpoConfig.TargetKl),
        nameof(PpoConfig.Hidden), nameof(PpoConfig.Seed), nameof(PpoConfig.Device),
    ];

    /// <summary>True for an environment variable this binder reads (MSMANO__LEARNER__X or MSMANO__PPO__X).</summary>
    public static bool IsKnownEnvironmentVariable(string name)
    {
        string[] parts = name.Split("__");
        if (parts.Length < 3 || !parts[0].Equals("MSMANO", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        IReadOnlyList<string>? keys = parts[1].ToUpperInvariant() switch
        {
            "LEARNER" => Keys,
            "PPO" => PpoKeys,
            _ => null,
        };
        if (keys is null || !keys.Contains(parts[2], StringComparer.OrdinalIgnoreCase))
        {
            return false;
        }
        bool isList = parts[2].Equals(nameof(PpoConfig.Hidden), StringComparison.OrdinalIgnoreCase);
        return parts.Length == 3 || (parts.Length == 4 && isList && int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out _));
    }

    public static LearnerSettings Bind(IConfiguration configuration, LearnerSettings? defaults = null)
    {
        LearnerSettings o = defaults ?? new LearnerSettings();
        var r = new SettingsSectionReader(configuration.GetSection(Section), Section);
        o = o with
        {
            BatchSize = r.Int(nameof(LearnerSettings.BatchSize)) ?? o.BatchSize,
            MaxPolicyLag = r.Int(nameof(LearnerSettings.MaxPolicyLag)) ?? o.MaxPolicyLag,
            CreditWindow = r.Int(nameof(LearnerSettings.CreditWindow)) ?? o.CreditWindow,
            MaxBufferedTransitions = r.Int(nameof(LearnerSettings.MaxBufferedTransitions)) ?? o.MaxBufferedTransitions,
            CheckpointDirectory = r.Has(nameof(LearnerSettings.CheckpointDirectory)) ? NullIfEmpty(r.String(nameof(LearnerSettings.CheckpointDirectory))) : o.CheckpointDirectory,
            CheckpointEvery = r.Int(nameof(LearnerSettings.CheckpointEvery)) ?? o.CheckpointEvery,
            TensorBoardDirectory = r.Has(nameof(LearnerSettings.TensorBoardDirectory)) ? NullIfEmpty(r.String(nameof(LearnerSettings.TensorBoardDirectory))) : o.TensorBoardDirectory,
            MaxUpdates = r.Long(nameof(LearnerSettings.MaxUpdates)) ?? o.MaxUpdates,
            PlateauWindow = r.Int(nameof(LearnerSettings.PlateauWindow)) ?? o.PlateauWindow,
            PlateauMinImprovement = r.Double(nameof(LearnerSettings.PlateauMinImprovement)) ?? o.PlateauMinImprovement,
            Train = r.Bool(nameof(LearnerSettings.Train)) ?? o.Train,
            NodeTimeout = r.Duration(nameof(LearnerSettings.NodeTimeout)) ?? o.NodeTimeout,
            ProgressInterval = r.Duration(nameof(LearnerSettings.ProgressInterval)) ?? o.ProgressInterval,
            TorchThreads = r.Int(nameof(LearnerSettings.TorchThreads)) ?? o.TorchThreads,
        };
        return o.Validate();
    }

    /// <summary>The PPO configuration: <paramref name="defaults"/> (sizes come from the environment) with user overrides.</summary>
    public static PpoConfig BindPpo(IConfiguration configuration, PpoConfig defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        var r = new SettingsSectionReader(configuration.GetSection(PpoSection), PpoSection);
        IReadOnlyList<string>? hidden = r.List(nameof(PpoConfig.Hidden));
        var config = defaults with
        {
            LearningRate = r.Double(nameof(PpoConfig.LearningRate)) ?? defaults.LearningRate,
            Epochs = r.Int(nameof(PpoConfig.Epochs)) ?? defaults.Epochs,
            MinibatchSize = r.Int(nameof(PpoConfig.MinibatchSize)) ?? defaults.MinibatchSize,
            Gamma = r.Double(nameof(PpoConfig.Gamma)) ?? defaults.Gamma,
            GaeLambda = r.Double(nameof(PpoConfig.GaeLambda)) ?? defaults.GaeLambda,
            ClipRange = r.Double(nameof(PpoConfig.ClipRange)) ?? defaults.ClipRange,
            EntropyCoef = r.Double(nameof(PpoConfig.EntropyCoef)) ?? defaults.EntropyCoef,
            TargetKl = r.Double(nameof(PpoConfig.TargetKl)) ?? defaults.TargetKl,
            Hidden = hidden is null ? defaults.Hidden : hidden.Select((h, i) => ParseWidth(h, i)).ToArray(),
            Seed = r.Int(nameof(PpoConfig.Seed)) ?? defaults.Seed,
            Device = r.String(nameof(PpoConfig.Device)) ?? defaults.Device,
        };
        return config.Validate();
    }

    private static int ParseWidth(string text, int index)
    {
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int width))
        {
            throw new ClusterConfigurationException($"{PpoSection}:{nameof(PpoConfig.Hidden)}:{index}", text, "must be an integer layer width");
        }
        return width;
    }

    private static string? NullIfEmpty(string? value)
    {
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }
}
