using System.Globalization;
using MsMano.Biomechanics.Kinematics;
using MsMano.Biomechanics.Model;
using MsMano.Environments.Motion;
using MsMano.Evaluation.Benchmark.FilePredictions;
using MsMano.Evaluation.BioPr;
using MsMano.Evaluation.Datasets.MotionSources;
using MsMano.Evaluation.Datasets.PoseFiles;
using MsMano.Evaluation.Synthetic;

namespace MsMano.Evaluation.Benchmark;

/// <summary>
/// Builds <see cref="BenchmarkData"/> from a dataset spec: <c>synthetic</c> (<see cref="SyntheticBenchmarkData"/>), or
/// <c>dexycb:&lt;root&gt;[?camera=..,fps=..]</c> / <c>oakink:&lt;root&gt;[?split=..,views=..,fps=..]</c>, whose ground
/// truth is read by <see cref="MotionCatalog"/> (DexYCB s0 train/test; OakInk train/test part of the split). Without
/// prediction files the predictions come from the SYNTHETIC error model applied to the ground truth, and the report
/// says so; with <see cref="BenchmarkPredictionFiles"/> they are a real base estimator's (<see cref="FileBenchmarkData"/>),
/// and <c>json:</c> / <c>csv:</c> pose files can serve as ground truth too.
/// </summary>
public static class BenchmarkDatasets
{
    public static BenchmarkData Load(
        string spec, HandModel model, SyntheticBenchmarkOptions? synthetic = null, MotionCatalogOptions? catalog = null, BenchmarkPredictionFiles? predictions = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        SyntheticBenchmarkOptions options = synthetic ?? new SyntheticBenchmarkOptions();
        MotionCatalogOptions catalogOptions = (catalog ?? new MotionCatalogOptions()) with { Model = model };
        if (predictions is not null)
        {
            return FileBenchmarkData.Load(spec, model, predictions, options, catalogOptions);
        }

        var kinematics = new HandKinematics(model);
        string text = spec?.Trim() ?? "";
        if (text.Equals("synthetic", StringComparison.OrdinalIgnoreCase))
        {
            return SyntheticBenchmarkData.Create(kinematics, options);
        }

        var split = DatasetSplit.Of(text, filesAllowed: false);
        SyntheticErrorOptions errors = options.Errors with { BoneAxes = options.Errors.BoneAxes ?? SyntheticBenchmarkData.RestBoneAxes(kinematics) };
        BenchmarkSequence[] trainSet = Pair(MotionCatalog.Load(split.TrainSpec!, catalogOptions), kinematics, errors, seedOffset: 0);
        BenchmarkSequence[] testSet = Pair(MotionCatalog.Load(split.TestSpec!, catalogOptions), kinematics, errors, seedOffset: 1_000_000);
        string[] notes = new[]
        {
            string.Create(CultureInfo.InvariantCulture, $"Ground truth: {split.Name} annotations from '{split.Path}' ({trainSet.Length} training and {testSet.Length} test runs), converted to the shipped hand."),
            "Predictions: SYNTHETIC base estimator (BaseEstimatorErrorModel) applied to the real ground truth, since no base-estimator outputs were given (--train-predictions / --test-predictions); numbers are not comparable with published results.",
        };
        return new BenchmarkData($"{split.Name} + synthetic predictions", Synthetic: true, trainSet, testSet, notes).Validate();
    }

    /// <summary>Ground-truth motions as MANO-style poses of the hand, each with an error-model prediction.</summary>
    public static BenchmarkSequence[] Pair(IReadOnlyList<ReferenceMotion> motions, HandKinematics kinematics, SyntheticErrorOptions errors, int seedOffset)
    {
        var result = new BenchmarkSequence[motions.Count];
        for (int i = 0; i < motions.Count; i++)
        {
            PoseSequence truth = GroundTruth(motions[i], kinematics);
            PoseSequence predicted = new BaseEstimatorErrorModel(errors with { Seed = unchecked(errors.Seed + seedOffset + (i * 7919)) }).Apply(truth);
            result[i] = new BenchmarkSequence(truth.Name, truth, predicted with { Name = truth.Name });
        }

        return result;
    }

    /// <summary>A reference motion as the pose sequence the metrics score against.</summary>
    public static PoseSequence GroundTruth(ReferenceMotion motion, HandKinematics kinematics)
    {
        ArgumentNullException.ThrowIfNull(motion);
        float[] poses = new float[motion.Frames * PoseAngles.PoseSize];
        for (int f = 0; f < motion.Frames; f++)
        {
            motion.ManoPose(kinematics, f, poses.AsSpan(f * PoseAngles.PoseSize, PoseAngles.PoseSize));
        }

        return new PoseSequence(motion.Name, poses, motion.Fps, null, motion.Synthetic);
    }
}
