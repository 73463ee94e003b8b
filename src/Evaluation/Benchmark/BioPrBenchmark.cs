using System.Diagnostics;
using System.Globalization;
using MsMano.Biomechanics.Dynamics;
using MsMano.Biomechanics.Kinematics;
using MsMano.Biomechanics.Model;
using MsMano.Contracts.Policy;
using MsMano.Evaluation.Baselines;
using MsMano.Evaluation.BioPr;
using MsMano.Evaluation.Datasets.PoseFiles;
using MsMano.Evaluation.Metrics;
using MsMano.Evaluation.Refine;
using MsMano.Evaluation.Reports;
using MsMano.Evaluation.Subjects;
using Serilog;

namespace MsMano.Evaluation.Benchmark;

/// <summary>
/// The BioPR benchmark (paper Sec. 6.2 and the ablation of 6.4) on any <see cref="BenchmarkData"/>: BioPR runs over the
/// training split; RefineNet is trained on (prediction, reference) → ground truth there; the temporal-smoothing window
/// is chosen and the PCA prior fitted there too. The test split is only scored: base vs base + BioPR (with and without
/// feedback) vs temporal smoothing vs PCA, plus ablations, in root-relative MPJPE, PA-MPJPE, AUC and AE on the 21
/// keypoints of the hand model.
/// </summary>
public static class BioPrBenchmark
{
    private static readonly ILogger Log = Serilog.Log.ForContext(typeof(BioPrBenchmark));

    public static BenchmarkResult Run(
        BenchmarkData data,
        PolicySnapshot policy,
        BenchmarkOptions? options = null,
        HandModel? model = null,
        IBenchmarkProgress? progress = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(policy);
        BenchmarkOptions o = (options ?? new BenchmarkOptions()).Validate();
        data = data.WithTestLimit(o.MaxTestSequences).Validate();
        model ??= HandModelFile.LoadDefault();
        var kinematics = new HandKinematics(model);
        var clock = Stopwatch.StartNew();
        Log.Information("Benchmark {Dataset}: {Train} training and {Test} test sequences, policy version {Version}", data.Dataset, data.Train.Count, data.Test.Count, policy.Version);

        PoseSequence[] trainPred = data.Train.Select(s => s.Predicted).ToArray();
        PoseSequence[] testPred = data.Test.Select(s => s.Predicted).ToArray();

        // Each subject's sequences run as one batch on that subject's hand (its MANO beta; the shipped hand without a MANO file),
        // and, outside the official protocol, are scored on that hand's keypoints too.
        var hands = new SubjectHands(model, data.ShapeModel);
        var subjectKinematics = new Dictionary<string, HandKinematics>(StringComparer.Ordinal) { [""] = kinematics };
        HandKinematics KinematicsOf(BenchmarkSequence s)
        {
            string key = hands.Key(s.Predicted.Betas);
            if (!subjectKinematics.TryGetValue(key, out HandKinematics? k))
            {
                k = new HandKinematics(hands.For(s.Predicted.Betas));
                subjectKinematics[key] = k;
            }

            return k;
        }

        // Baselines are tuned first: BioPR's input interpolation reuses the smoothing window chosen on the training split.
        progress?.Begin("Baselines (tuned on the training split)", o.SmoothingWindows.Count + 1);
        HandKinematics[] trainKinematics = data.Train.Select(KinematicsOf).ToArray();
        Keypoints[] trainTruthKeypoints = data.Train.Select((s, i) => PoseKeypoints.Millimetres(trainKinematics[i], s.GroundTruth)).ToArray();
        (int window, List<(int Window, double MpjpeMm)> sweep) = ChooseSmoothingWindow(data, trainKinematics, trainTruthKeypoints, o.SmoothingWindows, progress, cancellation);
        var pca = PosePca.Fit(data.Train.Select(s => s.GroundTruth), o.PcaComponents);
        progress?.Advance(1);
        BioPrOptions bioPr = o.BioPr with { Feedback = false, InputWindow = o.InputWindow ?? window };

        var runner = new SubjectBioPr(hands, policy, bioPr);
        IReadOnlyList<BioPrOutput> trainOut = Simulate(runner, trainPred, null, "BioPR on the training split", progress, cancellation);

        float[] predicted = Flatten(trainPred.Select(s => s.Poses));
        float[] reference = Flatten(trainOut.Select(r => r.Reference));
        float[] truth = Flatten(data.Train.Select(s => s.GroundTruth.Poses));
        (RefineNetInference refiner, IReadOnlyList<RefineTrainingPoint> history) = TrainRefiner(predicted, reference, truth, o.Refine, "RefineNet on BioPR references", progress, cancellation);

        var timer = Stopwatch.StartNew();
        IReadOnlyList<BioPrOutput> testOut = Simulate(runner, testPred, refiner, "BioPR + RefineNet on the test split", progress, cancellation);
        double framesPerSecond = testPred.Sum(s => s.Frames) / Math.Max(1e-9, timer.Elapsed.TotalSeconds);

        var rows = new List<(string Method, string? Base, PoseSequence[] Poses)>
        {
            (BenchmarkMethods.Base, null, testPred),
            (BenchmarkMethods.BioPr, BenchmarkMethods.Base, testOut.Select(r => r.RefinedSequence(data.Synthetic)).ToArray()),
        };
        if (o.IncludeFeedback)
        {
            var feedback = new SubjectBioPr(hands, policy, bioPr with { Feedback = true });
            RefineNetInference feedbackRefiner = refiner;
            for (int round = 1; round <= o.FeedbackTrainingRounds; round++)
            {
                IReadOnlyList<BioPrOutput> closedLoop = Simulate(feedback, trainPred, feedbackRefiner, $"BioPR with feedback on the training split (round {round})", progress, cancellation);
                (feedbackRefiner, _) = TrainRefiner(predicted, Flatten(closedLoop.Select(r => r.Reference)), truth, o.Refine, $"RefineNet on closed-loop references (round {round})", progress, cancellation);
            }

            IReadOnlyList<BioPrOutput> fed = Simulate(feedback, testPred, feedbackRefiner, "BioPR with feedback on the test split", progress, cancellation);
            rows.Add((BenchmarkMethods.BioPrFeedback, BenchmarkMethods.Base, fed.Select(r => r.RefinedSequence(data.Synthetic)).ToArray()));
        }

        var smoothing = new TemporalSmoothing(window);
        rows.Add((BenchmarkMethods.Smoothing(window), BenchmarkMethods.Base, testPred.Select(s => smoothing.Smooth(s)).ToArray()));
        rows.Add((BenchmarkMethods.Pca(o.PcaComponents), BenchmarkMethods.Base, testPred.Select(pca.Project).ToArray()));

        if (o.IncludeAblations)
        {
            rows.Add((BenchmarkMethods.ReferenceOnly, BenchmarkMethods.Base, testOut.Select(r => r.ReferenceSequence(data.Synthetic)).ToArray()));
            (RefineNetInference direct, _) = TrainRefiner(predicted, predicted, truth, o.Refine, "RefineNet without simulator (ablation)", progress, cancellation);
            rows.Add((BenchmarkMethods.RefineWithoutSimulator, BenchmarkMethods.Base, testPred.Select(s => RefineAlone(direct, s, s)).ToArray()));
            if (bioPr.InputWindow > 0)
            {
                // Same inputs as BioPR with the simulator taken out: the interpolated prediction stands in for the reference.
                var interpolation = new TemporalSmoothing(bioPr.InputWindow);
                (RefineNetInference smoothRefiner, _) = TrainRefiner(predicted, Flatten(trainPred.Select(s => interpolation.Smooth(s).Poses)), truth, o.Refine, "RefineNet on the interpolated prediction, no simulator (ablation)", progress, cancellation);
                rows.Add((BenchmarkMethods.RefineInterpolatedWithoutSimulator, BenchmarkMethods.Base, testPred.Select(s => RefineAlone(smoothRefiner, s, interpolation.Smooth(s))).ToArray()));
            }
        }

        progress?.Begin("Scoring the test split", rows.Count + 1);
        // The official protocol scores MANO-layer joints against the labels' joint_3d; otherwise the hand model's keypoints.
        HandKinematics[] testKinematics = data.Test.Select(KinematicsOf).ToArray();
        Keypoints Score(int i, PoseSequence poses) => data.Official is { } official ? official.Joints(i, poses) : PoseKeypoints.Millimetres(testKinematics[i], poses);
        Keypoints[] testTruth = data.Test.Select((s, i) => data.Official?.Truth(i) ?? PoseKeypoints.Millimetres(testKinematics[i], s.GroundTruth)).ToArray();
        progress?.Advance(1);
        var results = new List<MethodResult>();
        var keypoints = new Dictionary<string, Keypoints[]>();
        foreach ((string method, string? baseMethod, PoseSequence[] sequences) in rows)
        {
            cancellation.ThrowIfCancellationRequested();
            Keypoints[] kp = sequences.Select((s, i) => Score(i, s)).ToArray();
            keypoints[method] = kp;
            EvaluationSequence[] evaluated = Enumerable.Range(0, kp.Length).Select(i => new EvaluationSequence(data.Test[i].Name, testTruth[i], kp[i], ScoredFrames(data, i))).ToArray();
            results.Add(new MethodResult(method, HandPoseEvaluation.Evaluate(evaluated), baseMethod));
            progress?.Advance(1);
        }

        string smoothingName = BenchmarkMethods.Smoothing(window);
        var metrics = results.ToDictionary(r => r.Method, r => r.Metrics);
        var verdict = new BenchmarkVerdict(
            metrics[BenchmarkMethods.BioPr].MpjpeMm - metrics[BenchmarkMethods.Base].MpjpeMm,
            metrics[BenchmarkMethods.BioPr].AccelerationErrorMm - metrics[BenchmarkMethods.Base].AccelerationErrorMm,
            metrics[BenchmarkMethods.BioPr].MpjpeMm - metrics[smoothingName].MpjpeMm,
            metrics[BenchmarkMethods.BioPr].AccelerationErrorMm - metrics[smoothingName].AccelerationErrorMm);

        var detail = new SequenceDetail(
            data.Test[0].Name,
            testTruth[0],
            new[] { BenchmarkMethods.Base, BenchmarkMethods.BioPr, smoothingName }.Select(m => (m, keypoints[m][0])).ToList());
        List<string> notes = Notes(data, policy, o, window, sweep, history, trainOut.Concat(testOut).Sum(r => r.NonFiniteFrames), framesPerSecond, verdict, smoothingName, clock.Elapsed);
        notes.Add(SubjectNote(data, hands));
        string title = data.Synthetic ? $"BioPR benchmark on {data.Dataset} (SYNTHETIC)" : $"BioPR benchmark on {data.Dataset}";
        var report = new EvaluationReport(title, data.Dataset, data.Synthetic, results, detail, notes);
        Log.Information(
            "Benchmark {Dataset} done in {Seconds:F1} s: BioPR MPJPE {Delta:+0.00;-0.00} mm and AE {Ae:+0.00;-0.00} vs base; MPJPE {Smooth:+0.00;-0.00} mm vs smoothing d={Window}",
            data.Dataset, clock.Elapsed.TotalSeconds, verdict.MpjpeDeltaVsBase, verdict.AeDeltaVsBase, verdict.MpjpeDeltaVsSmoothing, window);
        return new BenchmarkResult(report, policy.Version, window, history, framesPerSecond, verdict)
        {
            Sample = new BenchmarkSample(data.Test[0].Name, data.Test[0].GroundTruth, testPred[0], testOut[0].RefinedSequence(data.Synthetic)),
        };
    }

    private static IReadOnlyList<BioPrOutput> Simulate(
        SubjectBioPr runner, PoseSequence[] sequences, IPoseRefiner? refiner, string stage, IBenchmarkProgress? progress, CancellationToken cancellation)
    {
        progress?.Begin(stage, sequences.Sum(s => Math.Max(0, s.Frames - 1)));
        return runner.Run(sequences, refiner, progress is null ? null : n => progress.Advance(n), cancellation);
    }

    private static (RefineNetInference Refiner, IReadOnlyList<RefineTrainingPoint> History) TrainRefiner(
        float[] predicted, float[] reference, float[] truth, RefineNetOptions options, string stage, IBenchmarkProgress? progress, CancellationToken cancellation)
    {
        progress?.Begin(stage, options.Iterations);
        (RefineNet net, IReadOnlyList<RefineTrainingPoint> history) = RefineNetTrainer.Train(predicted, reference, truth, options, progress is null ? null : _ => progress.Advance(1), cancellation);
        using (net)
        {
            return (net.ToInference(), history);
        }
    }

    // Eq. 11's window d with the lowest root-relative MPJPE on the training split (never on the test split).
    private static (int Window, List<(int Window, double MpjpeMm)> Sweep) ChooseSmoothingWindow(
        BenchmarkData data, HandKinematics[] kinematics, Keypoints[] truth, IReadOnlyList<int> windows, IBenchmarkProgress? progress, CancellationToken cancellation)
    {
        int best = windows[0];
        double bestError = double.PositiveInfinity;
        var sweep = new List<(int, double)>();
        foreach (int d in windows)
        {
            cancellation.ThrowIfCancellationRequested();
            var smoothing = new TemporalSmoothing(d);
            EvaluationSequence[] sequences = data.Train.Select((s, i) => new EvaluationSequence(s.Name, truth[i], PoseKeypoints.Millimetres(kinematics[i], smoothing.Smooth(s.Predicted)))).ToArray();
            double error = HandPoseEvaluation.Evaluate(sequences).MpjpeMm;
            Log.Debug("Temporal smoothing d={Window}: training MPJPE {Error:F2} mm", d, error);
            sweep.Add((d, error));
            if (error < bestError)
            {
                (best, bestError) = (d, error);
            }

            progress?.Advance(1);
        }

        return (best, sweep);
    }

    private static PoseSequence RefineAlone(RefineNetInference refiner, PoseSequence sequence, PoseSequence reference)
    {
        float[] refined = new float[sequence.Poses.Length];
        for (int f = 0; f < sequence.Frames; f++)
        {
            refiner.Refine(sequence.Frame(f), reference.Frame(f), refined.AsSpan(f * ManoJoints.PoseSize, ManoJoints.PoseSize));
        }

        return sequence with { Name = sequence.Name + " [RefineNet alone]", Poses = refined };
    }

    private static float[] Flatten(IEnumerable<float[]> parts)
    {
        var list = parts.ToList();
        float[] result = new float[list.Sum(p => p.Length)];
        int offset = 0;
        foreach (float[] p in list)
        {
            p.CopyTo(result, offset);
            offset += p.Length;
        }

        return result;
    }

    /// <summary>Frames of test sequence i that count: labelled (official protocol) and predicted (sparse predictions).</summary>
    private static IReadOnlyList<bool>? ScoredFrames(BenchmarkData data, int i)
    {
        IReadOnlyList<bool>? labelled = data.Official?.Valid(i);
        IReadOnlyList<bool>? predicted = data.Test[i].Scored;
        if (labelled is null || predicted is null)
        {
            return labelled ?? predicted;
        }

        return labelled.Zip(predicted, (a, b) => a && b).ToArray();
    }

    /// <summary>Which hand each subject was simulated on (test split).</summary>
    private static string SubjectNote(BenchmarkData data, SubjectHands hands)
    {
        string[] subjects = data.Test.GroupBy(s => hands.Key(s.Predicted.Betas))
            .Select(g => $"{SubjectName(g.First().Name)} ({g.Count()} sequence(s)): {hands.Describe(g.First().Predicted.Betas)}")
            .ToArray();
        return subjects.Length == 1 && hands.Key(data.Test[0].Predicted.Betas).Length == 0
            ? $"Subject shapes: every sequence simulated on the {hands.Describe(null)}."
            : $"Subject shapes (each subject's MS-MANO hand from its MANO beta and the MANO file's template and regressors): {string.Join("; ", subjects)}.";
    }

    private static string SubjectName(string sequence)
    {
        foreach (string part in sequence.Split('/', '[', ' '))
        {
            if (part.Contains("subject", StringComparison.OrdinalIgnoreCase))
            {
                return part;
            }
        }

        return sequence;
    }

    private static List<string> Notes(
        BenchmarkData data, PolicySnapshot policy, BenchmarkOptions o, int window, List<(int Window, double MpjpeMm)> sweep, IReadOnlyList<RefineTrainingPoint> history,
        int nonFinite, double framesPerSecond, BenchmarkVerdict verdict, string smoothingName, TimeSpan elapsed)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        RefineNetOptions r = o.Refine;
        double fps = data.Test[0].Predicted.Fps;
        var timing = FrameTiming.For(fps, o.BioPr);
        var notes = new List<string>(data.Notes)
        {
            string.Create(c, $"IDNet policy version {policy.Version} ({policy.ObservationSize} → [{string.Join(", ", policy.Hidden)}] → {policy.ActionSize}); the report is only as good as this policy."),
            string.Create(c, $"BioPR: one frame ({1000 / fps:F1} ms) = {timing.ControlStepsPerFrame} control step(s) of {timing.ControlStep * 1000:F1} ms = {timing.Simulation.Substeps} physics steps of {timing.Simulation.TimeStep * 1000:F2} ms each; input interpolated over d={o.InputWindow ?? window} ({(o.InputWindow is null ? "the smoothing window chosen on the training split" : "set")}); muscles only, PD off; clamp to limits {o.BioPr.ClampToLimits}; wrist in the observation: {o.BioPr.Wrist}; {nonFinite} non-finite transitions."),
            string.Create(c, $"RefineNet: 93 → {r.HiddenSize} → 48, {(r.Residual ? "residual (refined = prediction + MLP)" : "direct output")}, lr {r.LearningRate}, batch {r.BatchSize}, {r.Iterations} iterations, loss {r.Loss}: {history[0].Loss:F4} → {history[^1].Loss:F4}; trained on the training split only."),
            string.Create(c, $"Temporal smoothing window d={window} has the lowest training-split MPJPE ({string.Join(", ", sweep.Select(s => string.Create(c, $"d={s.Window}: {s.MpjpeMm:F2} mm")))}); PCA with {o.PcaComponents} components fitted on training ground truth."),
            string.Create(c, $"BioPR + RefineNet throughput on the test split: {framesPerSecond:N0} frames/s (batch of {o.BioPr.BatchSize} sequences); whole benchmark {elapsed.TotalSeconds:F0} s."),
            string.Create(c, $"Check: BioPR + RefineNet vs base: MPJPE {verdict.MpjpeDeltaVsBase:+0.00;-0.00} mm ({(verdict.LowersMpjpe ? "lower" : "NOT lower")}), AE {verdict.AeDeltaVsBase:+0.00;-0.00} ({(verdict.LowersAe ? "lower" : "NOT lower")}); vs {smoothingName}: MPJPE {verdict.MpjpeDeltaVsSmoothing:+0.00;-0.00} mm ({(verdict.BeatsSmoothing ? "better" : "NOT better")}), AE {verdict.AeDeltaVsSmoothing:+0.00;-0.00}."),
        };
        if (o.IncludeFeedback)
        {
            notes.Insert(notes.Count - 3, string.Create(c,
                $"Feedback row: the refined pose of frame i restarts the simulator for i → i+1 with {(o.BioPr.FeedbackVelocity == FeedbackVelocity.Simulated ? "the simulated joint rates" : "the predicted rates")}; {(o.FeedbackTrainingRounds == 0 ? "the open-loop RefineNet runs in the loop" : $"its RefineNet was retrained {o.FeedbackTrainingRounds} time(s) on closed-loop references of the training split")}."));
        }

        return notes;
    }
}
