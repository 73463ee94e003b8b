using MsMano.Biomechanics.Kinematics;
using MsMano.Environments.Motion;
using MsMano.Evaluation.Datasets.DexYcb;
using Serilog;

namespace MsMano.Evaluation.Datasets.MotionSources;

/// <summary>Which DexYCB ground truth becomes reference motions.</summary>
public sealed record DexYcbMotionOptions
{
    /// <summary>Setup s0 split.</summary>
    public DexYcbSplitName Split { get; init; } = DexYcbSplitName.Train;

    /// <summary>Camera (index into the toolkit's _SERIALS order) whose labels are read: the articulation is the same in
    /// all eight, only the global rotation differs, so one camera per sequence is enough.</summary>
    public int Camera { get; init; }

    /// <summary>Frame rate of the recordings (30 is commonly stated; the toolkit does not record it).</summary>
    public double Fps { get; init; } = 30;
}

/// <summary>
/// DexYCB ground-truth MANO poses as reference motions: pose_m = global axis-angle (3) + 45 PCA coefficients +
/// translation (3), with flat_hand_mean=False, so the full pose is hands_mean + coeffs . hands_components of the
/// user's MANO model, then rotated into the hand model's frame (<see cref="ManoPoseConverter"/>). One motion per
/// sequence (seen by one camera); unannotated frames (pose all zero) split it. Left-hand sequences are skipped: the
/// simulated hand is a right hand.
/// </summary>
public static class DexYcbMotions
{
    private static readonly ILogger Log = Serilog.Log.ForContext(typeof(DexYcbMotions));

    public static IReadOnlyList<ReferenceMotion> Load(string root, ManoPoseConverter converter, HandKinematics kinematics, DexYcbMotionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(converter);
        ArgumentNullException.ThrowIfNull(kinematics);
        options ??= new DexYcbMotionOptions();
        if (options.Camera < 0 || options.Camera >= DexYcbLayout.Serials.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Camera, $"Camera must be 0-{DexYcbLayout.Serials.Count - 1}.");
        }
        var motions = new List<ReferenceMotion>();
        int leftHands = 0;
        IEnumerable<IGrouping<string, DexYcbSample>> videos = DexYcbSplit.Enumerate(root, options.Split)
            .Where(s => s.CameraIndex == options.Camera)
            .GroupBy(s => s.VideoKey);
        foreach (IGrouping<string, DexYcbSample> video in videos)
        {
            DexYcbSample[] frames = video.OrderBy(s => s.Frame).ToArray();
            if (frames[0].ManoSide != "right")
            {
                leftHands++;
                continue;
            }
            float[] poses = new float[frames.Length * 48];
            bool[] valid = new bool[frames.Length];
            for (int i = 0; i < frames.Length; i++)
            {
                string path = frames[i].LabelPath(root);
                var labels = DexYcbLabels.Read(path);
                valid[i] = labels.HasPose;
                if (valid[i])
                {
                    converter.FromDexYcbPoseM(labels.PoseM.AsSpan(0, 51), poses.AsSpan(i * 48, 48), path);
                }
            }
            foreach ((int start, int length) in FrameRuns.Of(valid))
            {
                if (length < 2)
                {
                    continue;
                }
                string name = FrameRuns.Name($"dexycb/{video.Key}", start, length, frames.Length);
                motions.Add(ReferenceMotion.FromManoPoses(kinematics, name, poses.AsSpan(start * 48, length * 48), options.Fps, synthetic: false));
            }
        }
        Log.Information("DexYCB {Split}: {Motions} reference motions from camera {Camera}, {Left} left-hand sequences skipped",
            options.Split, motions.Count, DexYcbLayout.Serials[options.Camera], leftHands);
        return motions;
    }
}
