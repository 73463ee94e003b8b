using MsMano.Evaluation.Benchmark;
using MsMano.Evaluation.Datasets.MotionSources;
using MsMano.Evaluation.Refine;

namespace MsMano.Cluster.Evaluation;

/// <summary>
/// The <c>Evaluation</c> settings of a learner node: whether it runs an <see cref="EvaluationActor"/>, when that
/// evaluates, on what and where the reports go. Defaults score the full SYNTHETIC benchmark with the paper's RefineNet
/// training; <see cref="RefineIterations"/>, <see cref="SyntheticTrainSequences"/> and <see cref="MaxTestSequences"/>
/// make a quick run. Bind overrides with <see cref="EvaluationSettingsBinder"/> (<c>MSMANO__EVALUATION__*</c>, flags).
/// </summary>
public sealed record EvaluationSettings
{
    /// <summary>Start the evaluation actor beside the learner.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Evaluate the final policy when the learner reports convergence (reward plateau or update budget).</summary>
    public bool OnConvergence { get; init; } = true;

    /// <summary>A host ending a run that did not converge asks for an evaluation of the last policy before leaving.</summary>
    public bool AtEnd { get; init; }

    /// <summary>synthetic, dexycb:&lt;root&gt;[?..] or oakink:&lt;root&gt;[?..] (see <see cref="BenchmarkDatasets"/>).</summary>
    public string Dataset { get; init; } = "synthetic";

    /// <summary>Reports go to "v&lt;policy version&gt;" folders under this one.</summary>
    public string OutputDirectory { get; init; } = "runs/cluster/evaluation";

    /// <summary>Test sequences scored (0: the whole test split).</summary>
    public int MaxTestSequences { get; init; }

    /// <summary>RefineNet training iterations (paper: 4,500); RefineNet training dominates a run's time.</summary>
    public int RefineIterations { get; init; } = new RefineNetOptions().Iterations;

    /// <summary>Training sequences of the synthetic dataset (BioPR runs over each before RefineNet trains).</summary>
    public int SyntheticTrainSequences { get; init; } = new SyntheticBenchmarkOptions().TrainSequences;

    /// <summary>
    /// Also score the ablation rows (simulator reference only, RefineNet without the simulator, RefineNet on the
    /// interpolated input): two more RefineNet trainings, which more than double the job's time.
    /// </summary>
    public bool Ablations { get; init; } = true;

    /// <summary>
    /// The user's MANO_RIGHT.pkl: DexYCB's PCA poses and the official protocol, and each subject's MS-MANO hand from its
    /// β (BioPR simulates and scores every subject on its own hand); null or empty = none (the shipped hand).
    /// </summary>
    public string? ManoModel { get; init; }

    /// <summary>
    /// σ of the synthetic dataset's subjects' β: with a MANO file, the synthetic benchmark's sequences belong to subjects
    /// drawn from the training's shape distribution (<c>--shape-spread</c>), each simulated and scored on its own hand.
    /// 0 = off (every synthetic sequence on the shipped hand). Embedded and learner default it to the training's spread.
    /// </summary>
    public double ShapeSpread { get; init; }

    /// <summary>How long a host ending its run waits for the report before it leaves anyway (the job is cancelled).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting and its value.</summary>
    public EvaluationSettings Validate()
    {
        Require(!string.IsNullOrWhiteSpace(OutputDirectory), nameof(OutputDirectory), OutputDirectory, "must name a folder");
        Require(MaxTestSequences >= 0, nameof(MaxTestSequences), MaxTestSequences, "must be >= 0 (0 = all)");
        Require(RefineIterations >= 1, nameof(RefineIterations), RefineIterations, "must be >= 1");
        Require(SyntheticTrainSequences >= 1, nameof(SyntheticTrainSequences), SyntheticTrainSequences, "must be >= 1");
        Require(Timeout > TimeSpan.Zero, nameof(Timeout), Timeout, "must be positive");
        Require(double.IsFinite(ShapeSpread) && ShapeSpread is >= 0 and <= Biomechanics.Shape.ShapeSpread.MaxSigma, nameof(ShapeSpread), ShapeSpread,
            $"must be in [0, {Biomechanics.Shape.ShapeSpread.MaxSigma}] (0 = off)");
        Require(ShapeSpread == 0 || !string.IsNullOrWhiteSpace(ManoModel), nameof(ShapeSpread), ShapeSpread,
            "needs a MANO file (ManoModel, --mano): beta act through MANO's shape blend shapes, never shipped");
        // Parsing the spec here turns a typo into a start-up error instead of a failed job hours later; the data
        // itself is only read when a job runs.
        bool benchmarkDataset = Dataset?.Trim().Equals("synthetic", StringComparison.OrdinalIgnoreCase) == true
            || MotionSpec.Parse(Dataset ?? "").Kind is "dexycb" or "oakink";
        Require(benchmarkDataset, nameof(Dataset), Dataset ?? "", "must be synthetic, dexycb:<root> or oakink:<root>");
        return this;
    }

    /// <summary>The actor's settings: one job shape for every evaluation, reports in a folder per policy version.</summary>
    public EvaluationActorSettings ToActorSettings()
    {
        var defaults = new EvaluationJobOptions();
        return new EvaluationActorSettings
        {
            EvaluateOnConvergence = OnConvergence,
            FolderPerVersion = true,
            Job = defaults with
            {
                Dataset = Dataset,
                OutputDirectory = OutputDirectory,
                ManoModelPath = string.IsNullOrWhiteSpace(ManoModel) ? null : ManoModel,
                Synthetic = defaults.Synthetic with { TrainSequences = SyntheticTrainSequences, ShapeSpread = ShapeSpread },
                Benchmark = defaults.Benchmark with
                {
                    Refine = defaults.Benchmark.Refine with { Iterations = RefineIterations },
                    MaxTestSequences = MaxTestSequences,
                    IncludeAblations = Ablations,
                },
            },
        };
    }

    private static void Require(bool ok, string name, object value, string rule)
    {
        if (!ok)
        {
            throw new ArgumentException($"Evaluation setting {name} = '{value}' is invalid: {rule}.", name);
        }
    }
}
