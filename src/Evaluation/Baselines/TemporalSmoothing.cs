using MsMano.Evaluation.Datasets.PoseFiles;
using MsMano.Evaluation.Metrics;

namespace MsMano.Evaluation.Baselines;

/// <summary>
/// The paper's temporal-smoothing baseline (Eq. 11): p̂_i = argmin_m Σ_{j=i−d/2}^{i+d/2} ‖p_j − m‖², whose
/// solution is the arithmetic mean of the poses in the window. The window is centred, holds d + 1 frames for
/// even d (d/2 on each side; an odd d is rounded down to the even d − 1), and is truncated at sequence ends
/// and to valid frames. Poses are averaged as 48-d vectors exactly as the equation states (axis-angle, no
/// rotation-aware mean); keypoints can be smoothed the same way.
/// </summary>
public sealed class TemporalSmoothing
{
    public TemporalSmoothing(int windowSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(windowSize);
        HalfWindow = windowSize / 2;
    }

    /// <summary>Frames taken on each side of the centre frame (d/2).</summary>
    public int HalfWindow { get; }

    public PoseSequence Smooth(PoseSequence sequence, IReadOnlyList<bool>? valid = null)
    {
        double[] values = Array.ConvertAll(sequence.Poses, v => (double)v);
        double[] smoothed = Smooth(values, sequence.Frames, ManoJoints.PoseSize, valid);
        return sequence with { Poses = Array.ConvertAll(smoothed, v => (float)v), Name = sequence.Name + " [smoothed]" };
    }

    public Keypoints Smooth(Keypoints keypoints, IReadOnlyList<bool>? valid = null) =>
        new(Smooth(keypoints.Values, keypoints.Frames, keypoints.Joints * 3, valid), keypoints.Frames, keypoints.Joints);

    /// <summary>Smooths rows of a [frames, width] array; invalid frames neither contribute nor change.</summary>
    public double[] Smooth(double[] values, int frames, int width, IReadOnlyList<bool>? valid = null)
    {
        if (values.Length != frames * width)
        {
            throw new ArgumentException($"{values.Length} values are not [{frames}, {width}].", nameof(values));
        }

        if (valid is not null && valid.Count != frames)
        {
            throw new ArgumentException($"Validity mask has {valid.Count} entries for {frames} frames.", nameof(valid));
        }

        double[] result = (double[])values.Clone();
        for (int i = 0; i < frames; i++)
        {
            if (valid is not null && !valid[i])
            {
                continue;
            }

            double[] sum = new double[width];
            int count = 0;
            for (int j = Math.Max(0, i - HalfWindow); j <= Math.Min(frames - 1, i + HalfWindow); j++)
            {
                if (valid is not null && !valid[j])
                {
                    continue;
                }

                for (int k = 0; k < width; k++)
                {
                    sum[k] += values[(j * width) + k];
                }

                count++;
            }

            for (int k = 0; k < width; k++)
            {
                result[(i * width) + k] = sum[k] / count;
            }
        }

        return result;
    }
}
