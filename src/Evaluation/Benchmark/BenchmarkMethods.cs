using System.Globalization;

namespace MsMano.Evaluation.Benchmark;

/// <summary>Row names of the benchmark table.</summary>
public static class BenchmarkMethods
{
    public const string Base = "Base estimator";
    public const string BioPr = "Base + BioPR";
    public const string BioPrFeedback = "Base + BioPR (feedback)";
    public const string ReferenceOnly = "Ablation: simulator reference only";
    public const string RefineWithoutSimulator = "Ablation: RefineNet without simulator";
    public const string RefineInterpolatedWithoutSimulator = "Ablation: RefineNet on interpolated input, no simulator";

    public static string Smoothing(int window) => string.Create(CultureInfo.InvariantCulture, $"Base + temporal smoothing (d={window})");

    public static string Pca(int components) => string.Create(CultureInfo.InvariantCulture, $"Base + PCA (k={components})");
}
