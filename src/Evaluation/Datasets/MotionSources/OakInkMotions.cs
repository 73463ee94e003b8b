using MsMano.Biomechanics.Kinematics;
using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Environments.Motion;
using MsMano.Evaluation.Datasets.OakInk;
using MsMano.ModelFormats;
using Serilog;

namespace MsMano.Evaluation.Datasets.MotionSources;

/// <summary>Which OakInk frames a motion source reads.</summary>
public enum OakInkPart
{
    Train,
    Test,
    /// <summary>anno/seq_all.json: every annotated frame, whatever the split.</summary>
    All,
}

/// <summary>Which OakInk-Image annotations become reference motions.</summary>
public sealed record OakInkMotionOptions
{
    public OakInkSplitName Split { get; init; } = OakInkSplitName.SP0;

    public OakInkPart Part { get; init; } = OakInkPart.Train;

    /// <summary>False: one view per (sequence, hand), the lowest view id listed (the views see the same motion).</summary>
    public bool AllViews { get; init; }

    public double Fps { get; init; } = 30;
}

/// <summary>
/// OakInk-Image hand_j (21 keypoints, metres, camera frame) as reference motions by inverse kinematics: per frame the
/// hand scale and root by Kabsch on the palm and the 45 angles by <see cref="KeypointTrackFitter"/> (KeypointInverseKinematics), clamped to
/// the joint limits and warm-started from the previous frame. Frames missing from the split split a video. The
/// dataset's hands are MANO hands of other proportions, so a few millimetres of keypoint error remain; the mean is
/// logged per dataset.
/// </summary>
public static class OakInkMotions
{
    private static readonly ILogger Log = Serilog.Log.ForContext(typeof(OakInkMotions));

    /// <summary>The anno folder under an OakInk root: &lt;root&gt;/anno, &lt;root&gt;/image/anno, or the root itself.</summary>
    public static string FindAnnoDirectory(string root)
    {
        foreach (string candidate in new[] { Path.Combine(root, "anno"), Path.Combine(root, "image", "anno"), root })
        {
            if (Directory.Exists(Path.Combine(candidate, "hand_j")))
            {
                return candidate;
            }
        }
        throw new DataFormatException(root, "anno", "no annotation folder with hand_j/ (expected <root>/anno, <root>/image/anno or <root> itself)");
    }

    public static IReadOnlyList<ReferenceMotion> Load(string root, HandKinematics kinematics, OakInkMotionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(kinematics);
        options ??= new OakInkMotionOptions();
        string anno = FindAnnoDirectory(root);
        string list = options.Part == OakInkPart.All
            ? Path.Combine(anno, "seq_all.json")
            : OakInkSplit.FilePath(anno, options.Split, test: options.Part == OakInkPart.Test);
        if (!File.Exists(list))
        {
            throw new DataFormatException(list, "file", "does not exist");
        }
        IReadOnlyList<OakInkEntry> entries = OakInkSplit.Read(list);
        if (!options.AllViews)
        {
            entries = entries.GroupBy(e => (e.SequenceAndTimestamp, e.SubjectFlag))
                .SelectMany(g => g.Where(e => e.ViewId == g.Min(x => x.ViewId)))
                .ToArray();
        }

        var fitter = new KeypointTrackFitter(kinematics);
        var motions = new List<ReferenceMotion>();
        double errorSum = 0;
        int fitted = 0;
        foreach (OakInkVideo video in OakInkAnnotations.LoadVideos(anno, entries))
        {
            foreach ((int start, int length) in FrameRuns.Of(video.Valid))
            {
                if (length < 2)
                {
                    continue;
                }
                float[] angles = new float[length * ReferenceMotion.DofCount];
                float[] roots = new float[length * 3];
                double motionError = fitter.Fit(video.JointsM, start, length, (i, fit) =>
                {
                    for (int d = 0; d < ReferenceMotion.DofCount; d++)
                    {
                        angles[(i * ReferenceMotion.DofCount) + d] = (float)fit.Angles[d];
                    }
                    Vec3 r = fit.RootRotation.Log();
                    roots[i * 3] = (float)r.X;
                    roots[(i * 3) + 1] = (float)r.Y;
                    roots[(i * 3) + 2] = (float)r.Z;
                },
                // A degenerate frame names its file.
                (row, e) => new DataFormatException(OakInkAnnotations.HandJointsPath(anno, video.Entries[row]!), "hand_j", e.Message, e));
                string name = FrameRuns.Name($"oakink/{video.Key}", start, length, video.Valid.Length, video.FirstFrame);
                if (motionError / length > 0.01)
                {
                    Log.Warning("OakInk {Motion}: mean inverse-kinematics keypoint error {ErrorMm:F1} mm", name, 1000 * motionError / length);
                }
                errorSum += motionError;
                fitted += length;
                motions.Add(new ReferenceMotion(name, angles, roots, options.Fps, synthetic: false));
            }
        }
        Log.Information("OakInk {Split} {Part}: {Motions} reference motions, {Frames} frames, mean keypoint error after IK {ErrorMm:F2} mm",
            options.Split, options.Part, motions.Count, fitted, fitted > 0 ? 1000 * errorSum / fitted : 0);
        return motions;
    }
}
