using System.Globalization;
using MsMano.Evaluation.Datasets.DexYcb;
using MsMano.Evaluation.Datasets.MotionSources;
using MsMano.Evaluation.Datasets.PoseFiles;
using MsMano.Evaluation.Datasets.Predictions;
using MsMano.ModelFormats;

namespace MsMano.Evaluation.Benchmark.FilePredictions;

/// <summary>A prediction file as read, and whether it came in an estimator's own format (then it may cover more than the ground truth).</summary>
internal sealed record PredictionSource(PredictionSet Set, string Format)
{
    public bool Native => Format != "msmano-predictions";
}

/// <summary>
/// Reads <c>--train-predictions</c> / <c>--test-predictions</c> in the format they come in: a gSDF result folder
/// (<see cref="GsdfPredictions"/>), Deformer's <c>pred_*.json</c> (<see cref="DeformerPredictions.ReadSet"/>, rows in
/// DexYCB s0 order, so the ground truth must be <c>dexycb:&lt;root&gt;</c>) or the project's own format
/// (<see cref="PredictionFile"/>). Native outputs cover every camera and both hands; <see cref="Restrict"/> keeps the
/// videos the ground truth has and counts the rest.
/// </summary>
internal static class PredictionSources
{
    public static PredictionSource Read(string path, string groundTruthSpec, bool test)
    {
        if (GsdfPredictions.IsResultFolder(path))
        {
            return new PredictionSource(GsdfPredictions.Read(path), "gSDF hand_pose/");
        }
        if (DeformerPredictions.IsDump(path))
        {
            var spec = MotionSpec.Parse(groundTruthSpec);
            if (spec.Kind != "dexycb" || spec.Path is null)
            {
                throw new DataFormatException(path, "root",
                    $"is Deformer's pred_*.json, whose rows follow DexYCB s0's sample order and name no samples; give --dataset dexycb:<root> (now '{groundTruthSpec}')");
            }
            DexYcbSplitName split = test ? DexYcbSplitName.Test : DexYcbSplitName.Train;
            return new PredictionSource(DeformerPredictions.ReadSet(path, spec.Path, split), "Deformer pred_*.json");
        }
        return new PredictionSource(PredictionFile.Read(path), "msmano-predictions");
    }

    /// <summary>A native set without the videos that are not in <paramref name="pool"/> (other cameras, left hands, the other split).</summary>
    public static (PredictionSet Set, int Dropped) Restrict(PredictionSource source, IReadOnlyList<PoseSequence> pool, string path)
    {
        if (!source.Native)
        {
            return (source.Set, 0);
        }
        var names = new HashSet<string>(pool.Select(s => s.Name), StringComparer.Ordinal);
        names.UnionWith(pool.Select(s => FrameRuns.Parse(s.Name).Video));
        PredictedSequence[] kept = source.Set.Sequences.Where(s => names.Contains(s.Name)).ToArray();
        if (kept.Length == 0)
        {
            string example = source.Set.Sequences.Count > 0 ? source.Set.Sequences[0].Name : "none";
            throw new DataFormatException(path, "sequences", string.Create(CultureInfo.InvariantCulture,
                $"none of its {source.Set.Sequences.Count} videos (e.g. '{example}') is in this split's ground truth ({pool.Count} sequences); is it the other split's output, or another camera (?camera=)?"));
        }
        return (source.Set with { Sequences = kept }, source.Set.Sequences.Count - kept.Length);
    }
}
