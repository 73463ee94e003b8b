using MsMano.Biomechanics.Model;
using MsMano.Environments.Motion;
using MsMano.Environments.Motion.Generator;
using MsMano.Evaluation.Datasets.PoseFiles;
using MsMano.Evaluation.Metrics;

namespace MsMano.Evaluation.Synthetic;

/// <summary>
/// SYNTHETIC hand motion for the synthetic benchmark, tests and demonstrations (no dataset needed): one continuous
/// sequence from <see cref="HandMotionGenerator"/> on the shipped hand — grasps, finger taps, pinches and free motion,
/// anatomically coupled, inside the joint limits, minimum-jerk smooth — with the wrist wandering slowly (up to
/// <see cref="WristAmplitude"/> per axis). Poses are MANO-style axis-angles in the shipped hand's frame
/// (<c>HandKinematics.PoseFromAngles</c>), so its HandKinematics gives the matching keypoints. Output is flagged synthetic.
/// </summary>
public static class SyntheticMotion
{
    /// <summary>Largest wrist rotation per axis (rad).</summary>
    public const double WristAmplitude = 0.3;

    private static readonly Lazy<HandModel> DefaultHand = new(HandModelFile.LoadDefault);

    public static PoseSequence Generate(string name, int frames, double fps, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frames);
        var generator = new HandMotionGenerator(DefaultHand.Value, new HandMotionOptions { Fps = fps, WristAmplitude = WristAmplitude });
        // A reference motion needs two frames; a one-frame request takes the first.
        ReferenceMotion motion = generator.GenerateSequence(Math.Max(frames, 2), seed, name);
        float[] poses = new float[frames * ManoJoints.PoseSize];
        for (int f = 0; f < frames; f++)
        {
            motion.ManoPose(generator.Kinematics, f, poses.AsSpan(f * ManoJoints.PoseSize, ManoJoints.PoseSize));
        }

        return new PoseSequence(name, poses, fps, null, synthetic: true);
    }
}
