using System.Globalization;
using Microsoft.Extensions.Configuration;
using MsMano.Cluster.Options;
using MsMano.Cluster.Options.Binding;
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
        LearnerSettings o = SettingsBinder.Bind(configuration, Section, (defaults ?? new LearnerSettings()) with { }, Keys);
        // An empty directory setting means none (e.g. MSMANO__LEARNER__TENSORBOARDDIRECTORY=).
        return (o with { CheckpointDirectory = NullIfEmpty(o.CheckpointDirectory), TensorBoardDirectory = NullIfEmpty(o.TensorBoardDirectory) }).Validate();
    }

    /// <summary>The PPO configuration: <paramref name="defaults"/> (sizes come from the environment) with user overrides.</summary>
    public static PpoConfig BindPpo(IConfiguration configuration, PpoConfig defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        return SettingsBinder.Bind(configuration, PpoSection, defaults with { }, PpoKeys).Validate();
    }

    private static string? NullIfEmpty(string? value)
    {
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }
}
