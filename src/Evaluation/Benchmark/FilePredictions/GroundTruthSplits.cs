using MsMano.Biomechanics.Kinematics;
using MsMano.Evaluation.Datasets.MotionSources;
using MsMano.Evaluation.Datasets.PoseFiles;

namespace MsMano.Evaluation.Benchmark.FilePredictions;

/// <summary>
/// The ground truth prediction files are matched against. <see cref="Train"/> and <see cref="Test"/> are the
/// dataset's own split (synthetic, DexYCB, OakInk) or, for pose files (<see cref="Shared"/>), the same pool twice: the
/// prediction files then decide the split, and a sequence named in both is refused.
/// </summary>
internal sealed record GroundTruthSplits(string Name, string Origin, bool Synthetic, IReadOnlyList<PoseSequence> Train, IReadOnlyList<PoseSequence> Test, bool Shared)
{
    public static GroundTruthSplits Load(string spec, HandKinematics kinematics, SyntheticBenchmarkOptions synthetic, MotionCatalogOptions catalog)
    {
        string text = spec?.Trim() ?? "";
        if (text.Equals("synthetic", StringComparison.OrdinalIgnoreCase))
        {
            // The generator's motions only; the error model's predictions are replaced by the files'.
            BenchmarkData data = SyntheticBenchmarkData.Create(kinematics, synthetic);
            return new GroundTruthSplits("synthetic motions", "the motion generator", true,
                data.Train.Select(s => s.GroundTruth).ToArray(), data.Test.Select(s => s.GroundTruth).ToArray(), Shared: false);
        }

        var split = DatasetSplit.Of(text, filesAllowed: true);
        if (split.TrainSpec is null)
        {
            PoseSequence[] all = Truth(MotionCatalog.Load(text, catalog), kinematics);
            IGrouping<string, PoseSequence>? twice = all.GroupBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (twice is not null)
            {
                throw new MotionSpecException(text, $"name '{twice.Key}'", "two pose sequences carry this name; predictions are matched by name, so names must be unique");
            }

            return new GroundTruthSplits(split.Name, $"'{split.Path}'", all.Any(s => s.Synthetic), all, all, Shared: true);
        }

        PoseSequence[] train = Truth(MotionCatalog.Load(split.TrainSpec, catalog), kinematics);
        PoseSequence[] test = Truth(MotionCatalog.Load(split.TestSpec!, catalog), kinematics);
        return new GroundTruthSplits(split.Name, $"'{split.Path}'", false, train, test, Shared: false);
    }

    private static PoseSequence[] Truth(IReadOnlyList<Environments.Motion.ReferenceMotion> motions, HandKinematics kinematics) =>
        motions.Select(m => BenchmarkDatasets.GroundTruth(m, kinematics)).ToArray();
}
