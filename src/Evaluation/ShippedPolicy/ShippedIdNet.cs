using System.Reflection;
using MsMano.Contracts.Policy;

namespace MsMano.Evaluation.ShippedPolicy;

/// <summary>
/// The IDNet policy shipped in this assembly (src/Evaluation/Data/idnet-policy.msgpack, the project's own policy
/// format, trained by `msmano train`; Data/README.md records the command, seed, duration, transitions and reward), so
/// `evaluate` and BioPR run without a training run first.
/// </summary>
public static class ShippedIdNet
{
    public const string ResourceName = "MsMano.Evaluation.idnet-policy.msgpack";

    /// <summary>How reports and logs name it.</summary>
    public const string Description = "the shipped IDNet (src/Evaluation/Data/idnet-policy.msgpack)";

    public static PolicySnapshot Load()
    {
        Assembly assembly = typeof(ShippedIdNet).Assembly;
        using Stream stream = assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The shipped IDNet \"{ResourceName}\" is missing from {assembly.GetName().Name}.");
        return PolicySnapshot.Load(stream);
    }
}
