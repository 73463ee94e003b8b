using System.CommandLine;
using Microsoft.Extensions.Configuration;
using MsMano.Cluster.Evaluation;
using MsMano.Cluster.Simulation;

namespace MsMano.Cli.Commands;

/// <summary>
/// The evaluation flags of the commands that run a learner (<c>embedded</c>, <c>learner</c>), mapped onto the
/// <c>MsMano:Evaluation</c> keys the environment uses (<c>MSMANO__EVALUATION__*</c>), so flags, environment and
/// appsettings.json set one setting in one way; flags win.
/// </summary>
public sealed class EvaluationFlags
{
    public Option<bool> Evaluate { get; } = new("--evaluate") { Description = "Run the BioPR evaluation beside the learner: on convergence, and on request (default on with --env idnet)." };
    public Option<bool> NoEvaluate { get; } = new("--no-evaluate") { Description = "No evaluation actor." };
    public Option<bool> AtEnd { get; } = new("--evaluate-at-end") { Description = "When training ends without converging, evaluate the last policy before leaving and wait for the report (bounded by MSMANO__EVALUATION__TIMEOUT, default 30m)." };
    public Option<string?> Dataset { get; } = new("--eval-dataset") { Description = "Evaluation dataset: synthetic (default), dexycb:<root> or oakink:<root>." };
    public Option<int?> Iterations { get; } = new("--eval-iterations") { Description = "RefineNet training iterations of an evaluation (default 4500, the paper's; e.g. 200 for a quick run)." };
    public Option<int?> MaxTest { get; } = new("--eval-max-test") { Description = "Score at most this many test sequences (default 0: all)." };
    public Option<bool?> Ablations { get; } = new("--eval-ablations") { Description = "Also score the ablation rows (two more RefineNet trainings; default on for learner, off for embedded's first-try run)." };

    public IEnumerable<Option> All => [Evaluate, NoEvaluate, AtEnd, Dataset, Iterations, MaxTest, Ablations];

    /// <summary>The flags as configuration entries (only those given).</summary>
    public IEnumerable<KeyValuePair<string, string?>> Entries(ParseResult parse)
    {
        bool on = parse.GetValue(Evaluate), off = parse.GetValue(NoEvaluate), atEnd = parse.GetValue(AtEnd);
        if (off && (on || atEnd))
        {
            throw new ArgumentException("--no-evaluate contradicts --evaluate and --evaluate-at-end; give one.");
        }
        string section = EvaluationSettingsBinder.Section;
        return new KeyValuePair<string, string?>[]
        {
            new($"{section}:{nameof(EvaluationSettings.Enabled)}", on || atEnd ? "true" : off ? "false" : null),
            new($"{section}:{nameof(EvaluationSettings.AtEnd)}", atEnd ? "true" : null),
            new($"{section}:{nameof(EvaluationSettings.Dataset)}", parse.GetValue(Dataset)),
            new($"{section}:{nameof(EvaluationSettings.RefineIterations)}", SimNodeFlags.Invariant(parse.GetValue(Iterations))),
            new($"{section}:{nameof(EvaluationSettings.MaxTestSequences)}", SimNodeFlags.Invariant(parse.GetValue(MaxTest))),
            new($"{section}:{nameof(EvaluationSettings.Ablations)}", parse.GetValue(Ablations) is bool a ? (a ? "true" : "false") : null),
        }.Where(e => e.Value is not null);
    }

    /// <summary>
    /// The bound settings. Evaluation is on by default only for the IDNet environment: BioPR drives the hand with the
    /// learner's policy, so the synthetic task's policy (other sizes) cannot be evaluated, and asking for it is an error.
    /// </summary>
    /// <param name="mainJob">
    /// The embedded main job's defaults: it evaluates its last policy even without convergence, so the mission ends
    /// with scores, and leaves out the ablation rows (two more RefineNet trainings, about 7 of the run's minutes on this
    /// machine) so a first run stays near 10 minutes; <c>--eval-ablations</c> puts them back.
    /// </param>
    public static EvaluationSettings Bind(IConfiguration configuration, SimSourceOptions sources, string? outputDirectory = null, bool mainJob = false)
    {
        // The training's MANO file and shape spread carry over, so BioPR simulates and scores the hands training drew from.
        var defaults = new EvaluationSettings
        {
            Enabled = sources.Environment == SimSourceOptions.IdNet,
            AtEnd = mainJob,
            Ablations = !mainJob,
            ManoModel = sources.ManoModelPath,
            ShapeSpread = sources.ShapeSpread,
        };
        if (outputDirectory is not null)
        {
            defaults = defaults with { OutputDirectory = outputDirectory };
        }
        EvaluationSettings settings = EvaluationSettingsBinder.Bind(configuration, defaults);
        if (settings.Enabled && sources.Environment != SimSourceOptions.IdNet)
        {
            throw new ArgumentException(
                $"evaluation needs --env {SimSourceOptions.IdNet} (BioPR runs the learner's IDNet policy on the hand); drop --evaluate or pass --no-evaluate.");
        }
        return settings;
    }
}
