using System.Globalization;
using MsMano.Evaluation.Datasets.MotionSources;
using MsMano.Evaluation.Datasets.OakInk;
using Serilog;

namespace MsMano.Evaluation.Benchmark;

/// <summary>
/// OakInk ground truth with each subject's MANO β (<see cref="OakInkShapes"/>), so BioPR simulates the subject's hand.
/// β given by a prediction file win for the predicted side; a video whose general_info file is absent keeps the
/// shipped hand, counted in the report.
/// </summary>
public static class OakInkSubjects
{
    public static BenchmarkData Attach(BenchmarkData data, string root)
    {
        string anno = OakInkMotions.FindAnnoDirectory(root);
        var cache = new Dictionary<string, float[]?>(StringComparer.Ordinal);
        int missing = 0;
        float[]? Betas(string name)
        {
            string? path = OakInkShapes.PathFor(anno, name);
            if (path is null)
            {
                return null;
            }
            if (!cache.TryGetValue(path, out float[]? betas))
            {
                betas = File.Exists(path) ? OakInkShapes.ReadHandShape(path) : null;
                missing += betas is null ? 1 : 0;
                cache[path] = betas;
            }
            return betas;
        }
        BenchmarkSequence[] With(IReadOnlyList<BenchmarkSequence> sequences) => sequences.Select(s =>
        {
            float[]? betas = Betas(s.GroundTruth.Name);
            return s with
            {
                GroundTruth = s.GroundTruth with { Betas = betas ?? s.GroundTruth.Betas },
                Predicted = s.Predicted with { Betas = s.Predicted.Betas ?? betas },
            };
        }).ToArray();
        BenchmarkSequence[] train = With(data.Train);
        BenchmarkSequence[] test = With(data.Test);
        int read = cache.Count(kv => kv.Value is not null);
        if (missing > 0)
        {
            Log.Warning("OakInk: {Missing} video(s) have no anno/general_info file; their subjects are simulated with the shipped hand", missing);
        }
        string note = string.Create(CultureInfo.InvariantCulture,
            $"OakInk subjects: MANO beta from anno/general_info (hand_anno.hand_shape) for {read} video(s){(missing > 0 ? $"; {missing} without a general_info file use the shipped hand" : "")}.");
        return data with { Train = train, Test = test, Notes = [.. data.Notes, note] };
    }
}
