using System.Globalization;
using MsMano.Biomechanics.Kinematics;
using MsMano.Biomechanics.Model;
using MsMano.Evaluation.Datasets.MotionSources;
using MsMano.Evaluation.Datasets.PoseFiles;
using MsMano.Evaluation.Synthetic;
using MsMano.Evaluation.BioPr;
using MsMano.SimulationNode.Motion;

namespace MsMano.Evaluation.Benchmark;

/// <summary>
/// Builds <see cref="BenchmarkData"/> from a dataset spec: <c>synthetic</c> (<see cref="SyntheticBenchmarkData"/>), or
/// <c>dexycb:&lt;root&gt;[?camera=..,fps=..]</c> / <c>oakink:&lt;root&gt;[?split=..,views=..,fps=..]</c>, whose ground
/// truth is read by <see cref="MotionCatalog"/> (DexYCB s0 train/test; OakInk train/test part of the split). No
/// released base-estimator predictions exist for these datasets, so predictions come from the SYNTHETIC error model
/// applied to the real ground truth, and the report says so.
/// </summary>
public static class BenchmarkDatasets
{
    public static BenchmarkData Load(string spec, HandModel model, SyntheticBenchmarkOptions? synthetic = null, MotionCatalogOptions? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var options = synthetic ?? new SyntheticBenchmarkOptions();
        var kinematics = new HandKinematics(model);
        var text = spec?.Trim() ?? "";
        if (text.Equals("synthetic", StringComparison.OrdinalIgnoreCase))
        {
            return SyntheticBenchmarkData.Create(kinematics, options);
        }

        var parsed = MotionSpec.Parse(text);
        var (splitKey, train, test) = parsed.Kind switch
        {
            "dexycb" => ("split", "train", "test"),
            "oakink" => ("part", "train", "test"),
            _ => throw new MotionSpecException(text, $"kind '{parsed.Kind}'", "is not a benchmark dataset; use synthetic, dexycb:<root> or oakink:<root>"),
        };
        if (parsed.Settings.ContainsKey(splitKey))
        {
            throw new MotionSpecException(text, $"{splitKey}={parsed.Settings[splitKey]}", $"the benchmark chooses {splitKey}={train} for RefineNet and {splitKey}={test} for scoring; leave it out");
        }

        var catalogOptions = (catalog ?? new MotionCatalogOptions()) with { Model = model };
        var errors = options.Errors with { BoneAxes = options.Errors.BoneAxes ?? SyntheticBenchmarkData.RestBoneAxes(kinematics) };
        var trainSet = Pair(MotionCatalog.Load(WithSetting(text, splitKey, train), catalogOptions), kinematics, errors, seedOffset: 0);
        var testSet = Pair(MotionCatalog.Load(WithSetting(text, splitKey, test), catalogOptions), kinematics, errors, seedOffset: 1_000_000);
        var name = parsed.Kind == "dexycb" ? "DexYCB s0" : "OakInk";
        var notes = new[]
        {
            string.Create(CultureInfo.InvariantCulture, $"Ground truth: {name} annotations from '{parsed.Path}' ({trainSet.Length} training and {testSet.Length} test runs), converted to the shipped hand."),
            "Predictions: SYNTHETIC base estimator (BaseEstimatorErrorModel) applied to the real ground truth, since no base-estimator outputs are available; numbers are not comparable with published results.",
        };
        return new BenchmarkData($"{name} + synthetic predictions", Synthetic: true, trainSet, testSet, notes).Validate();
    }

    /// <summary>Ground-truth motions as MANO-style poses of the hand, each with an error-model prediction.</summary>
    public static BenchmarkSequence[] Pair(IReadOnlyList<ReferenceMotion> motions, HandKinematics kinematics, SyntheticErrorOptions errors, int seedOffset)
    {
        var result = new BenchmarkSequence[motions.Count];
        for (var i = 0; i < motions.Count; i++)
        {
            var motion = motions[i];
            var poses = new float[motion.Frames * PoseAngles.PoseSize];
            for (var f = 0; f < motion.Frames; f++)
            {
                motion.ManoPose(kinematics, f, poses.AsSpan(f * PoseAngles.PoseSize, PoseAngles.PoseSize));
            }

            var truth = new PoseSequence(motion.Name, poses, motion.Fps, null, motion.Synthetic);
            var predicted = new BaseEstimatorErrorModel(errors with { Seed = unchecked(errors.Seed + seedOffset + (i * 7919)) }).Apply(truth);
            result[i] = new BenchmarkSequence(motion.Name, truth, predicted with { Name = motion.Name });
        }

        return result;
    }

    private static string WithSetting(string spec, string key, string value) =>
        spec + (spec.Contains('?', StringComparison.Ordinal) ? "," : "?") + key + "=" + value;
}
