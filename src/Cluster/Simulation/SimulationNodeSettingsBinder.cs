using Microsoft.Extensions.Configuration;
using MsMano.Cluster.Options;
using MsMano.Cluster.Options.Binding;

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
        return SettingsBinder.Bind(configuration, Section, (defaults ?? new SimulationNodeSettings()) with { }, Keys).Validate();
    }
}
