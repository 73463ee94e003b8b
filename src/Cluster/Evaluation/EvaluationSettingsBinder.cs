using Microsoft.Extensions.Configuration;
using MsMano.Cluster.Options;
using MsMano.Cluster.Options.Binding;

namespace MsMano.Cluster.Evaluation;

/// <summary>
/// Reads <see cref="EvaluationSettings"/> from <c>MsMano:Evaluation</c> (environment
/// <c>MSMANO__EVALUATION__ENABLED</c>, <c>MSMANO__EVALUATION__REFINEITERATIONS</c>, ...; the learner and embedded
/// commands map their flags into the same keys).
/// </summary>
public static class EvaluationSettingsBinder
{
    public const string Section = "MsMano:Evaluation";

    public static IReadOnlyList<string> Keys { get; } =
    [
        nameof(EvaluationSettings.Enabled), nameof(EvaluationSettings.OnConvergence), nameof(EvaluationSettings.AtEnd),
        nameof(EvaluationSettings.Dataset), nameof(EvaluationSettings.OutputDirectory), nameof(EvaluationSettings.MaxTestSequences),
        nameof(EvaluationSettings.RefineIterations), nameof(EvaluationSettings.SyntheticTrainSequences), nameof(EvaluationSettings.Ablations),
        nameof(EvaluationSettings.ManoModel), nameof(EvaluationSettings.ShapeSpread), nameof(EvaluationSettings.Timeout),
    ];

    /// <summary>True for an environment variable this binder reads (MSMANO__EVALUATION__X).</summary>
    public static bool IsKnownEnvironmentVariable(string name) => SettingsSectionReader.IsEnvironmentVariableFor(name, Section, Keys);

    public static EvaluationSettings Bind(IConfiguration configuration, EvaluationSettings? defaults = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return SettingsBinder.Bind(configuration, Section, (defaults ?? new EvaluationSettings()) with { }, Keys).Validate();
    }
}
