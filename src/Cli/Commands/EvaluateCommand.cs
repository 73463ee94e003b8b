using System.CommandLine;
using System.Globalization;
using MsMano.Biomechanics.Dynamics;
using MsMano.Biomechanics.Kinematics;
using MsMano.Biomechanics.Model;
using MsMano.Contracts.Policy;
using MsMano.Environments.Policy;
using MsMano.Evaluation.Benchmark;
using MsMano.Evaluation.Benchmark.FilePredictions;
using MsMano.Evaluation.BioPr;
using MsMano.Evaluation.Official;
using MsMano.Evaluation.Refine;
using MsMano.Evaluation.Reports;
using MsMano.Evaluation.ShippedPolicy;
using MsMano.Evaluation.Synthetic;
using Serilog;
using Spectre.Console;

namespace MsMano.Cli.Commands;

/// <summary>
/// `msmano evaluate`: the BioPR benchmark (base vs base + BioPR vs temporal smoothing vs PCA) with a trained IDNet
/// policy, written as a report; `--bench` measures BioPR's inference latency instead.
/// </summary>
public static class EvaluateCommand
{
    /// <summary>--policy value that stands in seeded random IDNet weights: a smoke test of the pipeline, not a result.</summary>
    public const string RandomPolicy = "random";

    public static Command Create()
    {
        var policy = new Option<string?>("--policy") { Description = $"IDNet policy snapshot (runs/idnet/idnet-policy.msgpack from `msmano train`), or '{RandomPolicy}' for seeded random weights (smoke test only); default: {ShippedIdNet.Description}." };
        var dataset = new Option<string>("--dataset") { Description = "Ground truth: synthetic, dexycb:<root>[?camera=..] or oakink:<root>[?split=sp0,..]; with prediction files also json:<file or folder> / csv:<file or folder> pose sequences. Without prediction files the predictions are SYNTHETIC (error model).", DefaultValueFactory = _ => "synthetic" };
        var trainPredictions = new Option<string?>("--train-predictions") { Description = "Base-estimator predictions for the training split, as the estimator writes them (a gSDF result folder holding hand_pose/, Deformer's pred_*.json with --dataset dexycb:) or msmano-predictions JSON (see src/Evaluation/Datasets/README.md): RefineNet learns from them. Needs --test-predictions." };
        var testPredictions = new Option<string?>("--test-predictions") { Description = "Base-estimator predictions for the test split (same format and method), the ones scored. Needs --train-predictions." };
        var output = new Option<string>("--out") { Description = "Report folder (report.md, report.html, PNG plots).", DefaultValueFactory = _ => "runs/evaluation" };
        var mano = new Option<string?>("--mano") { Description = "MANO_RIGHT.pkl, needed for DexYCB poses (PCA basis) and for predictions whose pose_frame is 'mano'." };
        var trainSequences = new Option<int>("--train-sequences") { Description = "Synthetic: training sequences.", DefaultValueFactory = _ => new SyntheticBenchmarkOptions().TrainSequences };
        var testSequences = new Option<int>("--test-sequences") { Description = "Synthetic: test sequences.", DefaultValueFactory = _ => new SyntheticBenchmarkOptions().TestSequences };
        var seconds = new Option<double>("--seconds") { Description = "Synthetic: seconds per sequence.", DefaultValueFactory = _ => new SyntheticBenchmarkOptions().Seconds };
        var fps = new Option<double>("--fps") { Description = "Synthetic: frames per second.", DefaultValueFactory = _ => new SyntheticBenchmarkOptions().Fps };
        var seed = new Option<int>("--seed") { Description = "Synthetic: seed of motions and errors.", DefaultValueFactory = _ => 1 };
        var iterations = new Option<int>("--iterations") { Description = "RefineNet training iterations (paper: 4,500).", DefaultValueFactory = _ => new RefineNetOptions().Iterations };
        var batch = new Option<int>("--refine-batch") { Description = "RefineNet batch size (paper: 10,240).", DefaultValueFactory = _ => new RefineNetOptions().BatchSize };
        var direct = new Option<bool>("--direct-refine") { Description = "RefineNet outputs the pose directly (the paper's form) instead of a residual correction." };
        var noFeedback = new Option<bool>("--no-feedback") { Description = "Skip the BioPR-with-feedback row." };
        var feedbackVelocity = new Option<FeedbackVelocity>("--feedback-velocity") { Description = "With feedback, restart the simulator from its own (Simulated) or the predicted (Predicted) joint rates.", DefaultValueFactory = _ => new BioPrOptions().FeedbackVelocity };
        var feedbackRounds = new Option<int>("--feedback-rounds") { Description = "Rounds of retraining RefineNet on closed-loop references of the training split.", DefaultValueFactory = _ => new BenchmarkOptions().FeedbackTrainingRounds };
        var inputWindow = new Option<int?>("--input-window") { Description = "BioPR input interpolation window d (0: raw prediction; default: the smoothing window chosen on the training split)." };
        var errors = new Option<string?>("--errors") { Description = "Synthetic error model overrides, e.g. jitter=0.02,drift=0.1,tau=1,occlusion=0.3,twist=0.01 (radians, seconds, per second / per frame)." };
        var noAblations = new Option<bool>("--no-ablations") { Description = "Skip the ablation rows." };
        var maxTest = new Option<int>("--max-test") { Description = "Score at most this many test sequences (0: all).", DefaultValueFactory = _ => 0 };
        var clip = new Option<string?>("--clip") { Description = "Also write the first test sequence as a viewer clip (msmano-clip JSON: ground truth, base, BioPR), e.g. runs/cluster/clips/biopr.json." };
        var bench = new Option<bool>("--bench") { Description = "Measure BioPR inference latency (1 sequence) and throughput (a batch) instead of running the benchmark." };
        var rounds = new Option<int>("--rounds") { Description = "--bench: timed rounds (median reported).", DefaultValueFactory = _ => 5 };
        var benchBatch = new Option<int>("--bench-batch") { Description = "--bench: sequences in the batch.", DefaultValueFactory = _ => 64 };
        var protocol = new Option<ScoringProtocol>("--protocol") { Description = "Scoring: Official = DexYCB's own protocol (MANO layer with each subject's beta, joint_3d, root-relative MPJPE / PA-MPJPE / AUC 0-50 mm, AE); Model = keypoints of the simulated hand (each subject's own with --mano and beta, else the shipped hand); Auto = Official when the dataset is dexycb:<root> and --mano is given.", DefaultValueFactory = _ => ScoringProtocol.Auto };
        Option<bool> clampPoses = PoseFlags.ClampPoses();
        var command = new Command("evaluate", "Score BioPR + RefineNet against the base predictions and the baselines, and write the report.")
        {
            policy, dataset, protocol, trainPredictions, testPredictions, output, mano, trainSequences, testSequences, seconds, fps, seed, iterations, batch, direct, noFeedback, feedbackVelocity, feedbackRounds, inputWindow, errors, noAblations, maxTest, bench, rounds, benchBatch, clip, clampPoses,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(bench))
            {
                // Without --input-window the bench interpolates over d = 12, the window the synthetic benchmark chose.
                return Bench(LoadPolicy(parse.GetValue(policy)), parse.GetValue(rounds), parse.GetValue(benchBatch), parse.GetValue(fps), parse.GetValue(inputWindow) ?? 12);
            }

            // Checked before the policy is loaded: a half-given pair is a usage error, whatever the policy.
            var predictions = BenchmarkPredictionFiles.From(parse.GetValue(trainPredictions), parse.GetValue(testPredictions));
            PolicySnapshot snapshot = LoadPolicy(parse.GetValue(policy));
            var options = new EvaluationJobOptions
            {
                Dataset = parse.GetValue(dataset)!,
                Predictions = predictions,
                OutputDirectory = parse.GetValue(output)!,
                ManoModelPath = parse.GetValue(mano),
                OutOfRangePoses = PoseFlags.OutOfRange(parse, clampPoses),
                Protocol = parse.GetValue(protocol),
                Synthetic = new SyntheticBenchmarkOptions
                {
                    TrainSequences = parse.GetValue(trainSequences),
                    TestSequences = parse.GetValue(testSequences),
                    Seconds = parse.GetValue(seconds),
                    Fps = parse.GetValue(fps),
                    Seed = parse.GetValue(seed),
                    Errors = SyntheticErrorSpec.Parse(parse.GetValue(errors), new SyntheticErrorOptions()),
                },
                Benchmark = new BenchmarkOptions
                {
                    Refine = new RefineNetOptions { Iterations = parse.GetValue(iterations), BatchSize = parse.GetValue(batch), Residual = !parse.GetValue(direct) },
                    IncludeFeedback = !parse.GetValue(noFeedback),
                    FeedbackTrainingRounds = parse.GetValue(feedbackRounds),
                    InputWindow = parse.GetValue(inputWindow),
                    BioPr = new BioPrOptions { FeedbackVelocity = parse.GetValue(feedbackVelocity) },
                    IncludeAblations = !parse.GetValue(noAblations),
                    MaxTestSequences = parse.GetValue(maxTest),
                },
            };
            return Run(options, snapshot, parse.GetValue(clip));
        });
        return command;
    }

    public static int Run(EvaluationJobOptions options, PolicySnapshot policy, string? clip = null)
    {
        EvaluationJobResult result = null!;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx => result = EvaluationJob.Run(options, policy, new SpectreProgress(ctx)));
        EvaluationReport report = result.Benchmark.Report;
        Table table = new Table().Title(Markup.Escape(report.Title));
        table.AddColumns("method", "MPJPE (mm)", "PA-MPJPE (mm)", "AUC (x100)", "AE (mm/frame^2)");
        foreach (string[] row in ReportWriter.MainTable(report))
        {
            table.AddRow(row.Select(Markup.Escape).ToArray());
        }

        AnsiConsole.Write(table);
        BenchmarkVerdict v = result.Benchmark.Verdict;
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"BioPR + RefineNet vs base: MPJPE {v.MpjpeDeltaVsBase:+0.00;-0.00} mm, AE {v.AeDeltaVsBase:+0.00;-0.00}; vs temporal smoothing (d={result.Benchmark.SmoothingWindow}): MPJPE {v.MpjpeDeltaVsSmoothing:+0.00;-0.00} mm.")));
        if (report.Synthetic)
        {
            AnsiConsole.MarkupLine($"[bold red]{Markup.Escape(ReportWriter.SyntheticBanner)}[/]");
        }

        Log.Information("Report: {Markdown}, {Html}", result.Files.Markdown, result.Files.Html);
        if (clip is not null && result.Benchmark.Sample is { } sample)
        {
            Recording.ClipRecorders.BioPr(HandModelFile.LoadDefault(), sample, result.Benchmark.PolicyVersion, report.Dataset).Save(clip);
            Log.Information("Clip: {Clip} ({Sequence})", clip, sample.Name);
        }
        return 0;
    }

    public static int Bench(PolicySnapshot policy, int rounds, int batch, double fps, int inputWindow)
    {
        HandModel model = HandModelFile.LoadDefault();
        var plant = new HandPlant(model);
        var poses = new PoseAngles(new HandKinematics(model));
        // RefineNet's cost does not depend on its weights, so an untrained one measures the same work.
        RefineNetInference refiner;
        using (var net = new RefineNet(64, residual: true, referenceGain: true))
        {
            refiner = net.ToInference();
        }

        BioPrLatencyResult result = null!;
        AnsiConsole.Status().Start("Measuring BioPR latency...", _ => result = BioPrLatency.Measure(plant, poses, policy, refiner, batch: batch, rounds: rounds, fps: fps, inputWindow: inputWindow));
        FrameTiming t = result.Timing;
        Table table = new Table().Title(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"BioPR per frame at {t.Fps} fps (input window d={inputWindow}, {t.ControlStepsPerFrame} x {t.ControlStep * 1000:F1} ms control steps, {t.Simulation.Substeps} physics steps each), median of {result.Rounds} rounds, {Environment.ProcessorCount} cores")));
        table.AddColumns("configuration", "ms per lockstep frame (all sequences)", "ms per sequence-frame", "frames/s", "paper's 9 ms / ours");
        foreach (BioPrLatencyRow row in result.Rows)
        {
            double perSequenceFrame = 1000 / row.FramesPerSecond;
            table.AddRow(
                Markup.Escape(row.Name),
                row.MillisecondsPerFrame.ToString("F3", CultureInfo.InvariantCulture),
                perSequenceFrame.ToString("F3", CultureInfo.InvariantCulture),
                row.FramesPerSecond.ToString("N0", CultureInfo.InvariantCulture),
                (BioPrLatencyResult.PaperMillisecondsPerFrame / perSequenceFrame).ToString("F1", CultureInfo.InvariantCulture) + "x");
        }

        string load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
        AnsiConsole.MarkupLine(Markup.Escape($"1-minute load average after the run: {load} (other processes share these cores; rerun on an idle machine for clean figures)."));
        AnsiConsole.Write(table);
        return 0;
    }

    internal static PolicySnapshot LoadPolicy(string? path)
    {
        if (path is null)
        {
            Log.Information("No --policy: using {Policy}", ShippedIdNet.Description);
            return ShippedIdNet.Load();
        }

        if (path.Equals(RandomPolicy, StringComparison.OrdinalIgnoreCase))
        {
            Log.Warning("Using seeded RANDOM IDNet weights: the BioPR reference is meaningless; this only exercises the pipeline");
            return RandomPolicySnapshot.Create();
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"--policy '{path}' does not exist; train one with `msmano train` (writes runs/idnet/idnet-policy.msgpack) or pass '{RandomPolicy}'.", path);
        }

        return PolicySnapshot.Load(path);
    }

    // One Spectre task per benchmark stage.
    private sealed class SpectreProgress(ProgressContext context) : IBenchmarkProgress
    {
        private ProgressTask? _task;

        public void Begin(string stage, long total)
        {
            if (_task is not null)
            {
                _task.Value = _task.MaxValue;
                _task.StopTask();
            }

            _task = context.AddTask(Markup.Escape(stage), maxValue: Math.Max(1, total));
        }

        public void Advance(long amount) => _task?.Increment(amount);
    }
}
