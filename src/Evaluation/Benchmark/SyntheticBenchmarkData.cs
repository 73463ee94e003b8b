using System.Globalization;
using MsMano.Biomechanics.Kinematics;
using MsMano.Biomechanics.Shape;
using MsMano.Evaluation.Datasets.PoseFiles;
using MsMano.Evaluation.Metrics;
using MsMano.Evaluation.Synthetic;

namespace MsMano.Evaluation.Benchmark;

/// <summary>
/// The SYNTHETIC benchmark: ground truth from the motion generator (<see cref="SyntheticMotion"/>: grasps, taps,
/// pinches, free motion on the shipped hand) and predictions from the documented base-estimator error model
/// (<see cref="BaseEstimatorErrorModel"/>: jitter, correlated drift, occlusion bursts, implausible twists about the
/// bone axes of this hand). Train and test sequences use disjoint seeds.
/// </summary>
public static class SyntheticBenchmarkData
{
    // Far apart so that no reasonable training count reaches the test seeds.
    private const int TestSeedOffset = 1_000_000;

    public static BenchmarkData Create(HandKinematics kinematics, SyntheticBenchmarkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(kinematics);
        SyntheticBenchmarkOptions o = (options ?? new SyntheticBenchmarkOptions()).Validate();
        SyntheticErrorOptions errors = o.Errors with { BoneAxes = o.Errors.BoneAxes ?? RestBoneAxes(kinematics) };
        float[][]? subjects = SubjectBetas(o);
        BenchmarkSequence[] train = Enumerable.Range(0, o.TrainSequences).Select(i => Make("train", i, (o.Seed * 7919) + i, o, errors, subjects)).ToArray();
        BenchmarkSequence[] test = Enumerable.Range(0, o.TestSequences).Select(i => Make("test", i, (o.Seed * 7919) + TestSeedOffset + i, o, errors, subjects)).ToArray();
        SyntheticErrorOptions e = o.Errors;
        var notes = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture,
                $"Ground truth: SYNTHETIC motions of the shipped hand from HandMotionGenerator (grasp, tapping, pinch, free; wrist up to {SyntheticMotion.WristAmplitude} rad), {o.TrainSequences} training and {o.TestSequences} test sequences of {o.Frames} frames at {o.Fps} fps, seed {o.Seed}."),
            string.Create(CultureInfo.InvariantCulture,
                $"Predictions: SYNTHETIC base estimator (BaseEstimatorErrorModel): jitter {e.JitterStd} rad, OU drift {e.DriftStd} rad with {e.DriftTimeConstant} s correlation, occlusion bursts {e.OcclusionRate}/s of {e.OcclusionMinDuration}-{e.OcclusionMaxDuration} s ({e.OcclusionFreezeProbability:P0} frozen, else {e.OcclusionNoiseStd} rad noise), twists of {e.TwistMinAngle}-{e.TwistMaxAngle} rad about the bone axis with probability {e.TwistProbability}/frame, wrist noise x{e.WristScale}."),
        };
        if (subjects is not null)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"Subjects: {subjects.Length} SYNTHETIC subjects (sequence i is subject i mod {subjects.Length} in both splits), MANO beta drawn from {new ShapeSpread(o.ShapeSpread).Distribution}, seed {o.Seed}; each is simulated and scored on its own MS-MANO hand when a MANO file is given."));
        }
        return new BenchmarkData("synthetic", Synthetic: true, train, test, notes).Validate();
    }

    /// <summary>Each synthetic subject's β, drawn from the spread with a seed per subject; null when the spread is off.</summary>
    public static float[][]? SubjectBetas(SyntheticBenchmarkOptions options)
    {
        var spread = new ShapeSpread(options.ShapeSpread);
        if (!spread.IsOn)
        {
            return null;
        }

        // Decorrelated from the motion and error seeds, and from the training actors' shape seeds.
        return Enumerable.Range(0, options.Subjects)
            .Select(s => Array.ConvertAll(spread.DrawBetas(unchecked(((ulong)options.Seed * 0x9E3779B97F4A7C15UL) ^ (0x5355424AUL + (ulong)s))), b => (float)b))
            .ToArray();
    }

    /// <summary>Twist axes of this hand (fingers along -y for the shipped hand), from its rest keypoints.</summary>
    public static double[] RestBoneAxes(HandKinematics kinematics)
    {
        var rest = new PoseSequence("rest", new float[ManoJoints.PoseSize], 30);
        return BoneAxes.FromRestKeypoints(PoseKeypoints.Millimetres(kinematics, rest));
    }

    private static BenchmarkSequence Make(string split, int index, int seed, SyntheticBenchmarkOptions o, SyntheticErrorOptions errors, float[][]? subjects)
    {
        string name = string.Create(CultureInfo.InvariantCulture, $"synthetic-{split}-{index:D4}");
        float[]? betas = null;
        if (subjects is not null)
        {
            // The subject in a path part of its own, where reports look for it (as in DexYCB's sequence names).
            name = string.Create(CultureInfo.InvariantCulture, $"synthetic-subject-{index % subjects.Length:D2}/{split}-{index:D4}");
            betas = subjects[index % subjects.Length];
        }

        PoseSequence truth = SyntheticMotion.Generate(name, o.Frames, o.Fps, seed) with { Betas = betas };
        PoseSequence predicted = new BaseEstimatorErrorModel(errors with { Seed = unchecked((seed * 31) + 17) }).Apply(truth);
        return new BenchmarkSequence(name, truth, predicted with { Name = name, Betas = betas });
    }
}
