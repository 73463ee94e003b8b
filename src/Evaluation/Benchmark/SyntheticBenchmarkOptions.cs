using MsMano.Evaluation.Synthetic;

namespace MsMano.Evaluation.Benchmark;

/// <summary>Size and seeds of the SYNTHETIC benchmark (<see cref="SyntheticBenchmarkData"/>).</summary>
public sealed record SyntheticBenchmarkOptions
{
    /// <summary>Sequences RefineNet is trained on (and baselines tuned on).</summary>
    public int TrainSequences { get; init; } = 192;

    /// <summary>Held-out sequences that are only scored.</summary>
    public int TestSequences { get; init; } = 64;

    /// <summary>Length of each sequence (s).</summary>
    public double Seconds { get; init; } = 4;

    /// <summary>Frame rate; 30 is DexYCB's and OakInk's.</summary>
    public double Fps { get; init; } = 30;

    /// <summary>Seed of the motions and of the error model; train and test never share a motion seed.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The simulated base estimator's errors (its Seed is replaced per sequence).</summary>
    public SyntheticErrorOptions Errors { get; init; } = new();

    /// <summary>
    /// σ of the synthetic subjects' MANO β (<see cref="Biomechanics.Shape.ShapeSpread"/>, the distribution training
    /// draws its hands from); 0 (default): no β, every sequence on the shipped hand. β act only with a MANO file.
    /// </summary>
    public double ShapeSpread { get; init; }

    /// <summary>Synthetic subjects when <see cref="ShapeSpread"/> is on: sequence i belongs to subject i mod Subjects, in both splits.</summary>
    public int Subjects { get; init; } = 4;

    public int Frames => Math.Max(2, (int)Math.Round(Seconds * Fps));

    public SyntheticBenchmarkOptions Validate()
    {
        Check(TrainSequences is >= 1 and <= 100_000, nameof(TrainSequences), TrainSequences);
        Check(TestSequences is >= 1 and <= 100_000, nameof(TestSequences), TestSequences);
        Check(double.IsFinite(Seconds) && Seconds is > 0 and <= 3600, nameof(Seconds), Seconds);
        Check(double.IsFinite(Fps) && Fps is >= 1 and <= 1000, nameof(Fps), Fps);
        Check(Subjects is >= 1 and <= 1000, nameof(Subjects), Subjects);
        new Biomechanics.Shape.ShapeSpread(ShapeSpread).Validate();
        ArgumentNullException.ThrowIfNull(Errors, nameof(Errors));
        Errors.Validate();
        return this;
    }

    private static void Check(bool ok, string name, object value)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(name, value, $"SyntheticBenchmarkOptions.{name} = {value} is out of range.");
        }
    }
}
