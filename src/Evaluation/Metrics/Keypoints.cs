namespace MsMano.Evaluation.Metrics;

/// <summary>
/// A block of 3-D keypoints [Frames, Joints, 3], C order (frame, then joint, then x/y/z).
/// The unit is whatever the producer says: datasets give metres, metrics expect millimetres (see <see cref="Scaled"/>).
/// </summary>
public sealed class Keypoints
{
    public Keypoints(double[] values, int frames, int joints)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(joints);
        if (values.Length != frames * joints * 3)
        {
            throw new ArgumentException($"{values.Length} values do not form [{frames}, {joints}, 3].", nameof(values));
        }

        Values = values;
        Frames = frames;
        Joints = joints;
    }

    public double[] Values { get; }

    public int Frames { get; }

    public int Joints { get; }

    public double this[int frame, int joint, int axis]
    {
        get => Values[(((frame * Joints) + joint) * 3) + axis];
        set => Values[(((frame * Joints) + joint) * 3) + axis] = value;
    }

    public static Keypoints FromFloats(float[] values, int frames, int joints) =>
        new(Array.ConvertAll(values, v => (double)v), frames, joints);

    /// <summary>A copy multiplied by <paramref name="factor"/>, e.g. 1000 for metres to millimetres.</summary>
    public Keypoints Scaled(double factor) => new(Array.ConvertAll(Values, v => v * factor), Frames, Joints);

    /// <summary>A copy with joint <paramref name="root"/> subtracted from every joint of the same frame.</summary>
    public Keypoints RootRelative(int root = 0)
    {
        double[] result = (double[])Values.Clone();
        for (int f = 0; f < Frames; f++)
        {
            int rootOffset = ((f * Joints) + root) * 3;
            double rx = Values[rootOffset];
            double ry = Values[rootOffset + 1];
            double rz = Values[rootOffset + 2];
            for (int j = 0; j < Joints; j++)
            {
                int o = ((f * Joints) + j) * 3;
                result[o] -= rx;
                result[o + 1] -= ry;
                result[o + 2] -= rz;
            }
        }

        return new Keypoints(result, Frames, Joints);
    }

    /// <summary>Frames <paramref name="start"/> .. start+count-1 as a copy.</summary>
    public Keypoints Slice(int start, int count)
    {
        int stride = Joints * 3;
        return new Keypoints(Values.AsSpan(start * stride, count * stride).ToArray(), count, Joints);
    }

    /// <summary>Selected frames, in the given order, as a copy.</summary>
    public Keypoints Select(IReadOnlyList<int> frames)
    {
        int stride = Joints * 3;
        double[] result = new double[frames.Count * stride];
        for (int i = 0; i < frames.Count; i++)
        {
            Array.Copy(Values, frames[i] * stride, result, i * stride, stride);
        }

        return new Keypoints(result, frames.Count, Joints);
    }

    public Span<double> Frame(int frame) => Values.AsSpan(frame * Joints * 3, Joints * 3);
}
