using MsMano.Evaluation.Datasets.PoseFiles;

namespace MsMano.Evaluation.Benchmark;

/// <summary>One sequence of the benchmark: ground truth and the base estimator's prediction, frame-aligned.</summary>
public sealed record BenchmarkSequence(string Name, PoseSequence GroundTruth, PoseSequence Predicted)
{
    public int Frames => GroundTruth.Frames;

    /// <summary>Frames that count in the scores (the predicted ones when an estimator predicts a subset); null: all.</summary>
    public IReadOnlyList<bool>? Scored { get; init; }
}

/// <summary>
/// A benchmark's sequences split into a training part (RefineNet is trained and baselines are tuned on it) and a test
/// part (only scored). <see cref="Synthetic"/> is true when ground truth or predictions are simulated.
/// </summary>
public sealed record BenchmarkData(
    string Dataset,
    bool Synthetic,
    IReadOnlyList<BenchmarkSequence> Train,
    IReadOnlyList<BenchmarkSequence> Test,
    IReadOnlyList<string> Notes)
{
    /// <summary>Set for the official DexYCB protocol: the test split is scored through the MANO layer against joint_3d.</summary>
    public Official.OfficialScorer? Official { get; init; }

    /// <summary>The user's MANO model: BioPR then simulates each sequence on the hand of its β (<see cref="Subjects.SubjectHands"/>).</summary>
    public Biomechanics.Mano.ManoModel? ShapeModel { get; init; }

    public BenchmarkData Validate()
    {
        if (Train.Count == 0 || Test.Count == 0)
        {
            throw new ArgumentException($"Benchmark '{Dataset}' needs training and test sequences; it has {Train.Count} and {Test.Count}.");
        }

        foreach (BenchmarkSequence s in Train.Concat(Test))
        {
            if (s.GroundTruth.Frames != s.Predicted.Frames)
            {
                throw new ArgumentException($"Benchmark '{Dataset}' sequence '{s.Name}': ground truth has {s.GroundTruth.Frames} frames, prediction {s.Predicted.Frames}.");
            }

            if (s.GroundTruth.Fps != s.Predicted.Fps)
            {
                throw new ArgumentException($"Benchmark '{Dataset}' sequence '{s.Name}': ground truth runs at {s.GroundTruth.Fps} fps, prediction at {s.Predicted.Fps}.");
            }
        }

        return this;
    }

    /// <summary>The first <paramref name="count"/> test sequences (0 keeps all).</summary>
    public BenchmarkData WithTestLimit(int count) =>
        count <= 0 || count >= Test.Count ? this : this with { Test = Test.Take(count).ToArray() };
}
