using System.Globalization;
using MsMano.Evaluation.Datasets.MotionSources;
using MsMano.Evaluation.Datasets.PoseFiles;
using MsMano.Evaluation.Datasets.Predictions;
using MsMano.ModelFormats;

namespace MsMano.Evaluation.Benchmark.FilePredictions;

/// <summary>What pairing found, for the report.</summary>
internal sealed record PairingCounts(int FromPoses, int FromJoints, int FittedFrames, double KeypointErrorSumM, int IgnoredFrames, int InterpolatedFrames = 0)
{
    public static readonly PairingCounts None = new(0, 0, 0, 0, 0);

    public PairingCounts Add(PairingCounts o) =>
        new(FromPoses + o.FromPoses, FromJoints + o.FromJoints, FittedFrames + o.FittedFrames, KeypointErrorSumM + o.KeypointErrorSumM, IgnoredFrames + o.IgnoredFrames, InterpolatedFrames + o.InterpolatedFrames);
}

/// <summary>
/// Matches one prediction file to ground-truth sequences by name and frame number. A prediction named like a ground-
/// truth sequence covers it; one named by a video key (the name without "@&lt;frame&gt;") covers every run of that video
/// (DexYCB and OakInk videos split at unannotated frames). Frame numbers are the dataset's: a run named
/// "&lt;key&gt;@N" covers frames N, N+1, …, other names start at frame 0. A covered run may be predicted on a subset of its
/// frames (gSDF predicts every 5th): BioPR's input is interpolated between predicted frames (held before the first and
/// after the last) and only predicted frames are scored (<see cref="BenchmarkSequence.Scored"/>); predicted frames
/// outside all runs (unannotated ground truth) are ignored and counted. Problems throw
/// <see cref="DataFormatException"/> naming the prediction file, the field, the sequence and the value.
/// </summary>
internal sealed class PredictionPairing
{
    private readonly GroundTruthSplits _truth;
    private readonly PredictedPoses _poses;

    // Ground truth already paired, with the prediction that covers it (across both files: a sequence trained on must
    // never be scored).
    private readonly Dictionary<string, string> _claimed = new(StringComparer.Ordinal);

    public PredictionPairing(GroundTruthSplits truth, PredictedPoses poses)
    {
        _truth = truth;
        _poses = poses;
    }

    public (BenchmarkSequence[] Sequences, PairingCounts Counts) Pair(PredictionSet set, string path, bool test)
    {
        IReadOnlyList<PoseSequence> pool = test ? _truth.Test : _truth.Train;
        IReadOnlyList<PoseSequence> other = test ? _truth.Train : _truth.Test;
        string split = test ? "test" : "training";
        var byName = pool.ToDictionary(s => s.Name, StringComparer.Ordinal);
        ILookup<string, PoseSequence> byVideo = pool.ToLookup(s => FrameRuns.Parse(s.Name).Video, StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new List<BenchmarkSequence>();
        PairingCounts counts = PairingCounts.None;
        for (int i = 0; i < set.Sequences.Count; i++)
        {
            PredictedSequence prediction = set.Sequences[i];
            string field = $"sequences[{i}]";
            if (!seen.TryAdd(prediction.Name, i))
            {
                throw new DataFormatException(path, $"{field}.name", $"'{prediction.Name}' is listed twice (also sequences[{seen[prediction.Name]}])");
            }

            PoseSequence[] covered = byName.TryGetValue(prediction.Name, out PoseSequence? exact) ? [exact] : byVideo[prediction.Name].ToArray();
            if (covered.Length == 0)
            {
                throw new DataFormatException(path, $"{field}.name", Unmatched(prediction.Name, pool, other, split));
            }

            Dictionary<int, int> rows = Rows(prediction.Frames, path, field, prediction.Name);
            int used = 0;
            foreach (PoseSequence truth in covered)
            {
                string owner = $"{field} of '{path}'";
                if (!_claimed.TryAdd(truth.Name, owner))
                {
                    throw new DataFormatException(path, $"{field}.name",
                        $"'{prediction.Name}' covers ground truth '{truth.Name}', which {_claimed[truth.Name]} already covers (a sequence is either trained on or scored, once)");
                }

                int first = FrameRuns.Parse(truth.Name).FirstFrame;
                // Estimators such as gSDF predict every k-th frame: the frames of this run that are predicted are one
                // block of rows (frames rise), the others are interpolated for BioPR and left out of the scores.
                int[] present = Enumerable.Range(first, truth.Frames).Where(rows.ContainsKey).ToArray();
                if (present.Length == 0)
                {
                    RunStart(rows, first, truth.Frames, path, field, prediction.Name, truth.Name);
                }

                PredictedRun run = _poses.Convert(set, i, rows[present[0]], present.Length, path);
                int[] offsets = present.Select(f => f - first).ToArray();
                float[] poses = present.Length == truth.Frames ? run.Poses : SparseFrames.Fill(run.Poses, offsets, truth.Frames);
                var predicted = new PoseSequence(truth.Name, poses, truth.Fps, prediction.Betas, set.Synthetic);
                result.Add(new BenchmarkSequence(truth.Name, truth, predicted)
                {
                    Scored = present.Length == truth.Frames ? null : SparseFrames.Mask(offsets, truth.Frames),
                });
                used += present.Length;
                counts = counts.Add(PairingCounts.None with { InterpolatedFrames = truth.Frames - present.Length });
                counts = counts.Add(run.FromJoints
                    ? new PairingCounts(0, 1, truth.Frames, run.KeypointErrorSumM, 0)
                    : new PairingCounts(1, 0, 0, 0, 0));
            }

            counts = counts.Add(PairingCounts.None with { IgnoredFrames = prediction.Frames.Length - used });
        }

        return (result.ToArray(), counts);
    }

    /// <summary>Ground truth of a pool that no prediction covers (left out of the benchmark).</summary>
    public int Uncovered(IReadOnlyList<PoseSequence> pool) => pool.Count(s => !_claimed.ContainsKey(s.Name));

    // Frame number -> row; frames must rise strictly so that a run of consecutive frames is a run of rows.
    private static Dictionary<int, int> Rows(int[] frames, string path, string field, string name)
    {
        var rows = new Dictionary<int, int>(frames.Length);
        for (int r = 0; r < frames.Length; r++)
        {
            if (r > 0 && frames[r] <= frames[r - 1])
            {
                throw new DataFormatException(path, $"{field}.frames[{r}]",
                    Invariant($"sequence '{name}': frame {frames[r]} follows frame {frames[r - 1]}; frame numbers must rise without repeats"));
            }

            rows[frames[r]] = r;
        }

        return rows;
    }

    private static int RunStart(Dictionary<int, int> rows, int first, int count, string path, string field, string name, string truth)
    {
        for (int f = first; f < first + count; f++)
        {
            if (!rows.ContainsKey(f))
            {
                throw new DataFormatException(path, $"{field}.frames",
                    Invariant($"sequence '{name}': frame {f} is missing; ground truth '{truth}' has frames {first}-{first + count - 1}, the file lists {Describe(rows.Keys)}"));
            }
        }

        return rows[first];
    }

    private string Unmatched(string name, IReadOnlyList<PoseSequence> pool, IReadOnlyList<PoseSequence> other, string split)
    {
        if (!_truth.Shared && other.Any(s => s.Name == name || FrameRuns.Parse(s.Name).Video == name))
        {
            return $"'{name}' is a {(split == "test" ? "training" : "test")}-split sequence of {_truth.Origin}, not a {split} one (is the file given to the wrong flag?)";
        }

        string examples = string.Join(", ", pool.Take(3).Select(s => $"'{s.Name}'"));
        return Invariant($"'{name}' matches no {split} ground-truth sequence of {_truth.Origin} ({pool.Count} sequences, e.g. {examples}; a name is a ground-truth name or its video key without '@<frame>')");
    }

    private static string Describe(IEnumerable<int> frames)
    {
        int[] list = frames.Order().ToArray();
        return list.Length == 0 ? "no frames" : Invariant($"{list.Length} frames, {list[0]}-{list[^1]}");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
