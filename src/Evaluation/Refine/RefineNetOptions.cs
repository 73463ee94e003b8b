namespace MsMano.Evaluation.Refine;

/// <summary>The loss of Eq. 10.</summary>
public enum RefineLoss
{
    /// <summary>‖p_gt − p_refined‖₂ per frame, averaged over the batch (Eq. 10 as written).</summary>
    L2Norm,

    /// <summary>Mean squared error over all numbers (a smoother alternative).</summary>
    Mse,
}

/// <summary>RefineNet training settings; defaults are the paper's (Sec. 5: 93 → 64 → 48, lr 1e-3, batch 10,240, 4,500 iterations).</summary>
public sealed record RefineNetOptions
{
    public int HiddenSize { get; init; } = 64;

    public double LearningRate { get; init; } = 1e-3;

    public int BatchSize { get; init; } = 10_240;

    public int Iterations { get; init; } = 4_500;

    public RefineLoss Loss { get; init; } = RefineLoss.L2Norm;

    /// <summary>
    /// Learn the correction to the predicted pose (see <see cref="RefineNet.Residual"/>) instead of the pose itself.
    /// Default true: same layers as the paper; false reproduces the paper's direct output.
    /// </summary>
    public bool Residual { get; init; } = true;

    /// <summary>
    /// With <see cref="Residual"/>: add a learned per-dof gain times (reference − prediction) to the output (45 extra
    /// numbers; see <see cref="RefineNet"/>). Default true.
    /// </summary>
    public bool ReferenceGain { get; init; } = true;

    /// <summary>Seed for weight initialisation and batch sampling.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>"cpu", "cuda", or null to use CUDA when present.</summary>
    public string? Device { get; init; }

    /// <summary>Log the loss every this many iterations.</summary>
    public int LogEvery { get; init; } = 500;

    public void Validate()
    {
        Check(HiddenSize > 0, nameof(HiddenSize), HiddenSize);
        Check(LearningRate > 0 && double.IsFinite(LearningRate), nameof(LearningRate), LearningRate);
        Check(BatchSize > 0, nameof(BatchSize), BatchSize);
        Check(Iterations > 0, nameof(Iterations), Iterations);
        Check(LogEvery > 0, nameof(LogEvery), LogEvery);
        if (Device is not (null or "cpu" or "cuda"))
        {
            throw new ArgumentOutOfRangeException(nameof(Device), Device, $"RefineNetOptions.Device = '{Device}' must be 'cpu', 'cuda' or null.");
        }
    }

    private static void Check(bool ok, string name, double value)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(name, value, $"RefineNetOptions.{name} = {value} is out of range.");
        }
    }
}
