using MsMano.Evaluation.Metrics;

namespace MsMano.Evaluation.Datasets.PoseFiles;

/// <summary>
/// A MANO pose sequence: per frame 16 × 3 axis-angle (48 numbers, wrist first, MANO joint order, radians),
/// optional shape (10 betas), frame rate, and a flag that marks synthetic data so reports can say so.
/// </summary>
public sealed record PoseSequence
{
    public PoseSequence(string name, float[] poses, double fps, float[]? betas = null, bool synthetic = false)
    {
        ArgumentNullException.ThrowIfNull(poses);
        if (poses.Length % ManoJoints.PoseSize != 0)
        {
            throw new ArgumentException($"{poses.Length} numbers are not whole frames of {ManoJoints.PoseSize}.", nameof(poses));
        }

        if (!(fps > 0) || !double.IsFinite(fps))
        {
            throw new ArgumentOutOfRangeException(nameof(fps), fps, "Frame rate must be positive.");
        }

        Name = name;
        Poses = poses;
        Fps = fps;
        Betas = betas;
        Synthetic = synthetic;
    }

    public string Name { get; init; }

    /// <summary>[Frames, 16, 3] flattened, C order.</summary>
    public float[] Poses { get; init; }

    public double Fps { get; init; }

    public float[]? Betas { get; init; }

    public bool Synthetic { get; init; }

    public int Frames => Poses.Length / ManoJoints.PoseSize;

    public Span<float> Frame(int frame) => Poses.AsSpan(frame * ManoJoints.PoseSize, ManoJoints.PoseSize);
}
