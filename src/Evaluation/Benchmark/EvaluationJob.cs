using MsMano.Biomechanics.Kinematics;
using MsMano.Biomechanics.Model;
using MsMano.Contracts.Policy;
using MsMano.Evaluation.Benchmark.FilePredictions;
using MsMano.Evaluation.Datasets.MotionSources;
using MsMano.Evaluation.Official;
using MsMano.Evaluation.Reports;
using MsMano.Evaluation.ShippedPolicy;
using MsMano.Evaluation.Synthetic;
using MsMano.ModelFormats.Mano;
using ClusterReport = MsMano.Contracts.Evaluation.EvaluationReport;

namespace MsMano.Evaluation.Benchmark;

/// <summary>What one evaluation run scores and where its report goes.</summary>
public sealed record EvaluationJobOptions
{
    /// <summary>
    /// synthetic, dexycb:&lt;root&gt;[?..] or oakink:&lt;root&gt;[?..] (see <see cref="BenchmarkDatasets"/>); with
    /// <see cref="Predictions"/> also json:&lt;file or folder&gt; / csv:&lt;file or folder&gt; pose files.
    /// </summary>
    public string Dataset { get; init; } = "synthetic";

    /// <summary>A real base estimator's predictions for the training and the test split; null: the synthetic error model.</summary>
    public BenchmarkPredictionFiles? Predictions { get; init; }

    /// <summary>Folder for report.md, report.html and the PNG plots.</summary>
    public string OutputDirectory { get; init; } = "runs/evaluation";

    public SyntheticBenchmarkOptions Synthetic { get; init; } = new();

    public BenchmarkOptions Benchmark { get; init; } = new();

    /// <summary>The user's MANO_RIGHT.pkl, needed for DexYCB (PCA poses) and for predictions with pose_frame "mano".</summary>
    public string? ManoModelPath { get; init; }

    /// <summary>Pose-file and prediction-file components beyond ±4π rad: refused (default) or clamped with a warning.</summary>
    public Datasets.OutOfRangePoses OutOfRangePoses { get; init; } = Datasets.OutOfRangePoses.Refuse;

    /// <summary>How the test split is scored (Auto: DexYCB's official protocol when a MANO file is given).</summary>
    public ScoringProtocol Protocol { get; init; } = ScoringProtocol.Auto;

    /// <summary>Split name put on the metrics of the cluster message.</summary>
    public string Split { get; init; } = "test";
}

/// <summary>A finished evaluation: the benchmark's numbers, the files written and the cluster message.</summary>
public sealed record EvaluationJobResult(BenchmarkResult Benchmark, ReportFiles Files, ClusterReport Message);

/// <summary>Loads the dataset, runs <see cref="BioPrBenchmark"/> with a policy and writes the report: the one entry point of the CLI and the EvaluationActor.</summary>
public static class EvaluationJob
{
    /// <param name="policy">The IDNet to evaluate; null: <see cref="ShippedIdNet"/>.</param>
    public static EvaluationJobResult Run(EvaluationJobOptions options, PolicySnapshot? policy, IBenchmarkProgress? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        policy ??= ShippedIdNet.Load();
        HandModel model = HandModelFile.LoadDefault();
        ScoringProtocol protocol = ScoringProtocols.Resolve(options);
        progress?.Begin($"Loading {options.Dataset} ({protocol} protocol)", 1);
        BenchmarkData data;
        if (protocol == ScoringProtocol.Official && options.Predictions is not null)
        {
            // A real estimator's files: paired as usual (camera 0 unless camera= is given), scored against joint_3d.
            var spec = MotionSpec.Parse(options.Dataset);
            data = BenchmarkDatasets.Load(options.Dataset, model, options.Synthetic, new MotionCatalogOptions { ManoModelPath = options.ManoModelPath, OutOfRangePoses = options.OutOfRangePoses }, options.Predictions);
            data = DexYcbOfficialData.Officially(data, spec.Path!, options.ManoModelPath!, new HandKinematics(model), ScoringProtocols.Camera(spec) ?? 0);
            data = data with { Notes = [.. data.Notes, "Protocol: official DexYCB s0: refined poses go through the full MANO layer with each subject's beta and pose_m's translation and are scored against joint_3d (root-relative MPJPE and AUC 0-50 mm, PA-MPJPE with scale, AE on the same joints)."] };
        }
        else if (protocol == ScoringProtocol.Official)
        {
            var spec = MotionSpec.Parse(options.Dataset);
            SyntheticErrorOptions errors = options.Synthetic.Errors;
            (BenchmarkData official, OfficialScorer scorer) = DexYcbOfficialData.Load(spec.Path!, options.ManoModelPath!, new HandKinematics(model), errors, ScoringProtocols.Camera(spec), spec.Double("fps", 30, 1, 1000));
            data = official with { Official = scorer };
        }
        else
        {
            data = BenchmarkDatasets.Load(options.Dataset, model, options.Synthetic, new MotionCatalogOptions { ManoModelPath = options.ManoModelPath, OutOfRangePoses = options.OutOfRangePoses }, options.Predictions);
        }

        if (options.Dataset.Trim().StartsWith("oakink:", StringComparison.OrdinalIgnoreCase))
        {
            data = OakInkSubjects.Attach(data, MotionSpec.Parse(options.Dataset).Path!);
        }

        if (data.ShapeModel is null && !string.IsNullOrWhiteSpace(options.ManoModelPath))
        {
            data = data with { ShapeModel = ManoModelFile.Load(options.ManoModelPath) };
        }

        progress?.Advance(1);
        BenchmarkResult result = BioPrBenchmark.Run(data, policy, options.Benchmark, model, progress, cancellation);
        ReportFiles files = ReportWriter.Write(options.OutputDirectory, result.Report);
        ClusterReport message = ReportMessage.From(result.Report, policy.Version, options.Split, File.ReadAllText(files.Markdown));
        return new EvaluationJobResult(result, files, message);
    }
}
