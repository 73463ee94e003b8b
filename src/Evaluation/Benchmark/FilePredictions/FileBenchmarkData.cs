using System.Globalization;
using MsMano.Biomechanics.Kinematics;
using MsMano.Biomechanics.Mano;
using MsMano.Biomechanics.Model;
using MsMano.Evaluation.Datasets.MotionSources;
using MsMano.Evaluation.Datasets.Predictions;
using MsMano.ModelFormats.Mano;
using Serilog;

namespace MsMano.Evaluation.Benchmark.FilePredictions;

/// <summary>
/// A benchmark on a real base estimator's predictions: ground truth from a dataset spec (synthetic, dexycb:, oakink:,
/// json: or csv: pose files; <see cref="GroundTruthSplits"/>), predictions from two files in the project's format
/// (<see cref="PredictionFile"/>), matched by sequence name and frame number (<see cref="PredictionPairing"/>) and
/// turned into poses of the hand (<see cref="PredictedPoses"/>: MANO poses as they are, 21 joints by inverse
/// kinematics). The data are marked synthetic unless both the ground truth and the predictions are real.
/// </summary>
public static class FileBenchmarkData
{
    private static readonly ILogger Log = Serilog.Log.ForContext(typeof(FileBenchmarkData));

    public static BenchmarkData Load(string spec, HandModel model, BenchmarkPredictionFiles files, SyntheticBenchmarkOptions synthetic, MotionCatalogOptions catalog)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(synthetic);
        ArgumentNullException.ThrowIfNull(catalog);
        PredictionSource trainSource = PredictionSources.Read(files.Train, spec, test: false);
        PredictionSource testSource = PredictionSources.Read(files.Test, spec, test: true);
        PredictionSet trainSet = trainSource.Set;
        PredictionSet testSet = testSource.Set;
        if (trainSet.Method != testSet.Method)
        {
            throw new ArgumentException(
                $"--train-predictions '{files.Train}' comes from method '{trainSet.Method}' but --test-predictions '{files.Test}' from '{testSet.Method}': RefineNet must learn the errors of the estimator it refines.");
        }

        var kinematics = new HandKinematics(model);
        var truth = GroundTruthSplits.Load(spec, kinematics, synthetic.Validate(), catalog);
        (trainSet, int trainDropped) = PredictionSources.Restrict(trainSource, truth.Train, files.Train);
        (testSet, int testDropped) = PredictionSources.Restrict(testSource, truth.Test, files.Test);
        ManoPoseConverter? mano = (trainSet.PoseFrame == PredictedPoseFrame.Mano || testSet.PoseFrame == PredictedPoseFrame.Mano) && !string.IsNullOrWhiteSpace(catalog.ManoModelPath)
            ? new ManoPoseConverter(ManoModelFile.Load(catalog.ManoModelPath), kinematics)
            : null;
        var pairing = new PredictionPairing(truth, new PredictedPoses(kinematics, mano));
        (BenchmarkSequence[] train, PairingCounts trainCounts) = pairing.Pair(trainSet, files.Train, test: false);
        (BenchmarkSequence[] test, PairingCounts testCounts) = pairing.Pair(testSet, files.Test, test: true);
        string method = trainSet.Method;
        bool isSynthetic = truth.Synthetic || trainSet.Synthetic || testSet.Synthetic;
        var notes = new List<string>
        {
            Invariant($"Ground truth: {truth.Name}{(truth.Shared ? "" : " from " + truth.Origin)}{(truth.Synthetic ? " (SYNTHETIC)" : "")}: {train.Length} training and {test.Length} test sequences have predictions; {Uncovered(pairing, truth)} without predictions are left out."),
            Invariant($"Predictions: base estimator '{method}' read from '{files.Train}' (training split, {Describe(trainSet)}) and '{files.Test}' (test split, {Describe(testSet)}){(trainSet.Synthetic || testSet.Synthetic ? "; the files mark them SYNTHETIC" : "")}."),
            Describe(trainCounts.Add(testCounts)),
        };
        if (trainSource.Native || testSource.Native)
        {
            notes.Add(Invariant($"Read in the estimator's own format ({trainSource.Format} / {testSource.Format}); {trainDropped + testDropped} predicted video(s) not in the ground truth (other cameras, left hands) were left out."));
        }

        if (trainSet.Method == DeformerPredictions.Method)
        {
            notes.Add("Deformer's joints carry no translation (MANO frame, root at the origin): only root-relative and PA metrics are meaningful.");
        }
        Log.Information("Benchmark on {Method} predictions: {Train} training and {Test} test sequences of {Truth}", method, train.Length, test.Length, truth.Name);
        return new BenchmarkData($"{truth.Name} + {method} predictions", isSynthetic, train, test, notes).Validate();
    }

    private static string Uncovered(PredictionPairing pairing, GroundTruthSplits truth) =>
        truth.Shared
            ? pairing.Uncovered(truth.Train).ToString(CultureInfo.InvariantCulture)
            : Invariant($"{pairing.Uncovered(truth.Train)} training and {pairing.Uncovered(truth.Test)} test");

    private static string Describe(PredictionSet set) =>
        Invariant($"{set.Sequences.Count} sequences{(set.Dataset.Length > 0 ? $", dataset '{set.Dataset}'" : "")}");

    private static string Describe(PairingCounts c)
    {
        var parts = new List<string>();
        if (c.FromPoses > 0)
        {
            parts.Add(Invariant($"{c.FromPoses} sequence(s) given as MANO poses, used directly"));
        }

        if (c.FromJoints > 0)
        {
            parts.Add(Invariant(
                $"{c.FromJoints} sequence(s) given as 21 joints only, fitted by inverse kinematics on the model hand (scale, palm by Kabsch, 45 angles within the joint limits; mean keypoint error {1000 * c.KeypointErrorSumM / Math.Max(1, c.FittedFrames):F2} mm over {c.FittedFrames} frames), so their base row is that fit"));
        }

        if (c.InterpolatedFrames > 0)
        {
            parts.Add(Invariant($"{c.InterpolatedFrames} ground-truth frame(s) without a prediction: BioPR's input is interpolated there (rotations slerped between predicted frames) and they are not scored"));
        }

        string ignored = c.IgnoredFrames > 0 ? Invariant($"; {c.IgnoredFrames} predicted frame(s) without ground truth (unannotated) ignored") : "";
        return "Prediction poses: " + string.Join("; ", parts) + ignored + ".";
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
