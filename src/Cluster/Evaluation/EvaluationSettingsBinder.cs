using Microsoft.Extensions.Configuration;
using MsMano.Cluster.Options;

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
        nameof(EvaluationSettings.RefineIterations), nameof(EvaluationSettings.SyntheticTrainSequences),
        nameof(EvaluationSettings.ManoModel), nameof(EvaluationSettings.Timeout),
    ];

    /// <summary>True for an environment variable this binder reads (MSMANO__EVALUATION__X).</summary>
    public static bool IsKnownEnvironmentVariable(string name) => SettingsSectionReader.IsEnvironmentVariableFor(name, Section, Keys);

    public static EvaluationSettings Bind(IConfiguration configuration, EvaluationSettings? defaults = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        EvaluationSettings o = defaults ?? new EvaluationSettings();
        var r = new SettingsSectionReader(configuration.GetSection(Section), Section);
        o = o with
        {
            Enabled = r.Bool(nameof(EvaluationSettings.Enabled)) ?? o.Enabled,
            OnConvergence = r.Bool(nameof(EvaluationSettings.OnConvergence)) ?? o.OnConvergence,
            AtEnd = r.Bool(nameof(EvaluationSettings.AtEnd)) ?? o.AtEnd,
            Dataset = r.String(nameof(EvaluationSettings.Dataset)) ?? o.Dataset,
            OutputDirectory = r.String(nameof(EvaluationSettings.OutputDirectory)) ?? o.OutputDirectory,
            MaxTestSequences = r.Int(nameof(EvaluationSettings.MaxTestSequences)) ?? o.MaxTestSequences,
            RefineIterations = r.Int(nameof(EvaluationSettings.RefineIterations)) ?? o.RefineIterations,
            SyntheticTrainSequences = r.Int(nameof(EvaluationSettings.SyntheticTrainSequences)) ?? o.SyntheticTrainSequences,
            ManoModel = r.Has(nameof(EvaluationSettings.ManoModel)) ? r.String(nameof(EvaluationSettings.ManoModel)) : o.ManoModel,
            Timeout = r.Duration(nameof(EvaluationSettings.Timeout)) ?? o.Timeout,
        };
        return o.Validate();
    }
}
