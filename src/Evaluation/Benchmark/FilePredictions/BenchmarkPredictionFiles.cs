namespace MsMano.Evaluation.Benchmark.FilePredictions;

/// <summary>
/// A real base estimator's outputs for a benchmark, in the project's prediction format (Datasets/README.md): one file
/// for the training split (RefineNet learns that estimator's errors there) and one for the test split (only scored).
/// Both are required: test predictions alone cannot train RefineNet.
/// </summary>
public sealed record BenchmarkPredictionFiles(string Train, string Test)
{
    /// <summary>The pair from two optional paths (the CLI's flags): null when neither is given.</summary>
    public static BenchmarkPredictionFiles? From(string? train, string? test)
    {
        bool hasTrain = !string.IsNullOrWhiteSpace(train);
        bool hasTest = !string.IsNullOrWhiteSpace(test);
        return (hasTrain, hasTest) switch
        {
            (false, false) => null,
            (true, true) => new BenchmarkPredictionFiles(train!, test!),
            (false, true) => throw new ArgumentException(
                $"--test-predictions '{test}' needs --train-predictions too: RefineNet is trained on the same base estimator's predictions for the training split, and cannot be trained from test predictions alone."),
            _ => throw new ArgumentException(
                $"--train-predictions '{train}' needs --test-predictions too: the test split's predictions are what the benchmark scores."),
        };
    }
}
