using Microsoft.Extensions.Configuration;
using MsMano.Cluster.Options;

namespace MsMano.Cluster.Simulation;

/// <summary>Reads <see cref="SimulationNodeSettings"/> from <c>MsMano:Sim</c> (environment <c>MSMANO__SIM__ACTORS</c>, ...).</summary>
public static class SimulationNodeSettingsBinder
{
    public const string Section = "MsMano:Sim";

    public static IReadOnlyList<string> Keys { get; } =
    [
        nameof(SimulationNodeSettings.NodeId), nameof(SimulationNodeSettings.Actors), nameof(SimulationNodeSettings.Agents),
        nameof(SimulationNodeSettings.StepsPerCollection), nameof(SimulationNodeSettings.InitialWindow),
        nameof(SimulationNodeSettings.AckTimeout), nameof(SimulationNodeSettings.MaxPolicyLag),
        nameof(SimulationNodeSettings.RegistrationInterval), nameof(SimulationNodeSettings.StatusInterval),
        nameof(SimulationNodeSettings.ChunkBudgetBytes),
    ];

    /// <summary>True for an environment variable this binder reads (MSMANO__SIM__X).</summary>
    public static bool IsKnownEnvironmentVariable(string name) => SettingsSectionReader.IsEnvironmentVariableFor(name, Section, Keys);

    public static SimulationNodeSettings Bind(IConfiguration configuration, SimulationNodeSettings? defaults = null)
    {
        SimulationNodeSettings o = defaults ?? new SimulationNodeSettings();
        var r = new SettingsSectionReader(configuration.GetSection(Section), Section);
        o = o with
        {
            NodeId = r.String(nameof(SimulationNodeSettings.NodeId)) ?? o.NodeId,
            Actors = r.Int(nameof(SimulationNodeSettings.Actors)) ?? o.Actors,
            Agents = r.Int(nameof(SimulationNodeSettings.Agents)) ?? o.Agents,
            StepsPerCollection = r.Int(nameof(SimulationNodeSettings.StepsPerCollection)) ?? o.StepsPerCollection,
            InitialWindow = r.Int(nameof(SimulationNodeSettings.InitialWindow)) ?? o.InitialWindow,
            AckTimeout = r.Duration(nameof(SimulationNodeSettings.AckTimeout)) ?? o.AckTimeout,
            MaxPolicyLag = r.Int(nameof(SimulationNodeSettings.MaxPolicyLag)) ?? o.MaxPolicyLag,
            RegistrationInterval = r.Duration(nameof(SimulationNodeSettings.RegistrationInterval)) ?? o.RegistrationInterval,
            StatusInterval = r.Duration(nameof(SimulationNodeSettings.StatusInterval)) ?? o.StatusInterval,
            ChunkBudgetBytes = r.Int(nameof(SimulationNodeSettings.ChunkBudgetBytes)) ?? o.ChunkBudgetBytes,
        };
        return o.Validate();
    }
}
