using MsMano.Evaluation.Metrics;
using MsMano.ModelFormats;
using MsMano.ModelFormats.Numpy;
using MsMano.ModelFormats.Pickle;
using Serilog;

namespace MsMano.Evaluation.Datasets.OakInk;

/// <summary>One (sequence, view, hand) video, densely indexed by frame; frames absent from the split are invalid.</summary>
public sealed record OakInkVideo(string Key, int FirstFrame, OakInkEntry?[] Entries, Keypoints JointsM, bool[] Valid);

/// <summary>
/// Reads anno/hand_j/&lt;info_str&gt;.pkl (a pickled numpy (21, 3) array, metres, camera frame). general_info
/// (torch tensors, the subject's β) is read by <see cref="OakInkShapes"/>.
/// </summary>
public static class OakInkAnnotations
{
    private static readonly ILogger Log = Serilog.Log.ForContext(typeof(OakInkAnnotations));

    public static string HandJointsPath(string annoDir, OakInkEntry entry) => Path.Combine(annoDir, "hand_j", entry.InfoString + ".pkl");

    public static float[] ReadHandJoints(string path)
    {
        if (!File.Exists(path))
        {
            throw new DataFormatException(path, "file", "does not exist");
        }

        object? root = PickleReader.Read(path);
        if (root is not NdArray array)
        {
            throw new DataFormatException(path, "hand_j", $"expected a numpy array, found {root?.GetType().Name ?? "None"}");
        }

        return FieldChecks.FiniteFloats(FieldChecks.Shape(array, path, "hand_j", HandJoints.Count, 3), path, "hand_j");
    }

    /// <summary>
    /// Groups entries into videos per (sequence/timestamp, view, sbj_flag) — the OakInkImageSequence order
    /// sbj_flag·1000 + frame with the two hands of a handover kept apart — and reads their joints.
    /// Frames missing from the split (dropped by the 50%-in-image rule) become invalid gaps.
    /// </summary>
    public static IReadOnlyList<OakInkVideo> LoadVideos(string annoDir, IReadOnlyList<OakInkEntry> entries)
    {
        var videos = new List<OakInkVideo>();
        foreach (IGrouping<(string SequenceAndTimestamp, int ViewId, int SubjectFlag), OakInkEntry> group in entries.GroupBy(e => (e.SequenceAndTimestamp, e.ViewId, e.SubjectFlag)).OrderBy(g => g.Key))
        {
            OakInkEntry[] ordered = group.OrderBy(e => e.TemporalKey).ToArray();
            int first = ordered[0].Frame;
            int length = ordered[^1].Frame - first + 1;
            var slots = new OakInkEntry?[length];
            double[] values = new double[length * HandJoints.Count * 3];
            bool[] valid = new bool[length];
            foreach (OakInkEntry entry in ordered)
            {
                int slot = entry.Frame - first;
                if (slots[slot] is not null)
                {
                    throw new DataFormatException(entry.InfoString, "frame", $"frame {entry.Frame} is listed twice");
                }

                slots[slot] = entry;
                float[] joints = ReadHandJoints(HandJointsPath(annoDir, entry));
                for (int k = 0; k < joints.Length; k++)
                {
                    values[(slot * HandJoints.Count * 3) + k] = joints[k];
                }

                valid[slot] = true;
            }

            string key = $"{group.Key.SequenceAndTimestamp}/view{group.Key.ViewId}/sbj{group.Key.SubjectFlag}";
            videos.Add(new OakInkVideo(key, first, slots, new Keypoints(values, length, HandJoints.Count), valid));
        }

        Log.Information("Loaded {Videos} OakInk videos from {Entries} entries", videos.Count, entries.Count);
        return videos;
    }
}
