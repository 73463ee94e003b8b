using MsMano.Evaluation.Metrics;
using MsMano.ModelFormats;
using Serilog;

namespace MsMano.Evaluation.Datasets.DexYcb;

/// <summary>One video (sequence × camera) of ground truth in temporal order; invalid frames keep NaN-free zeros and Valid=false.</summary>
public sealed record DexYcbVideo(string Key, IReadOnlyList<DexYcbSample> Samples, Keypoints JointsM, bool[] Valid);

/// <summary>Loads ground-truth joints of a split and pairs them with a results file for evaluation.</summary>
public static class DexYcbGroundTruth
{
    private static readonly ILogger Log = Serilog.Log.ForContext(typeof(DexYcbGroundTruth));

    /// <summary>Groups samples into videos and reads their labels (metres). A frame is valid when joint_3d is not all −1.</summary>
    public static IReadOnlyList<DexYcbVideo> LoadVideos(string root, IReadOnlyList<DexYcbSample> samples)
    {
        var videos = new List<DexYcbVideo>();
        foreach (IGrouping<string, DexYcbSample> group in samples.GroupBy(s => s.VideoKey))
        {
            DexYcbSample[] ordered = group.OrderBy(s => s.Frame).ToArray();
            double[] values = new double[ordered.Length * HandJoints.Count * 3];
            bool[] valid = new bool[ordered.Length];
            for (int i = 0; i < ordered.Length; i++)
            {
                var labels = DexYcbLabels.Read(ordered[i].LabelPath(root));
                valid[i] = labels.HasJoints;
                if (valid[i])
                {
                    for (int k = 0; k < labels.Joint3d.Length; k++)
                    {
                        values[(i * HandJoints.Count * 3) + k] = labels.Joint3d[k];
                    }
                }
            }

            videos.Add(new DexYcbVideo(group.Key, ordered, new Keypoints(values, ordered.Length, HandJoints.Count), valid));
        }

        Log.Information("Loaded {Videos} DexYCB videos, {Valid} of {Frames} frames with valid joints",
            videos.Count, videos.Sum(v => v.Valid.Count(x => x)), samples.Count);
        return videos;
    }

    /// <summary>
    /// Pairs ground truth (metres) with a results file (millimetres) as evaluation sequences in mm.
    /// A valid ground-truth sample missing from the results is an error, as in the official evaluator.
    /// </summary>
    public static IReadOnlyList<EvaluationSequence> Pair(IReadOnlyList<DexYcbVideo> videos, IReadOnlyDictionary<int, double[]> resultsMm, string resultsSource)
    {
        var sequences = new List<EvaluationSequence>();
        foreach (DexYcbVideo video in videos)
        {
            Keypoints gt = video.JointsM.Scaled(1000);
            double[] pred = new double[gt.Values.Length];
            for (int i = 0; i < video.Samples.Count; i++)
            {
                if (!video.Valid[i])
                {
                    continue;
                }

                int index = video.Samples[i].Index;
                if (!resultsMm.TryGetValue(index, out double[]? joints))
                {
                    throw new DataFormatException(resultsSource, $"index {index}", $"missing prediction for ground-truth sample {video.Key} frame {video.Samples[i].Frame}");
                }

                joints.CopyTo(pred, i * HandJoints.Count * 3);
            }

            sequences.Add(new EvaluationSequence(video.Key, gt, new Keypoints(pred, gt.Frames, gt.Joints), video.Valid));
        }

        return sequences;
    }
}
