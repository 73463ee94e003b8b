namespace MsMano.Learning.Networks;

/// <summary>
/// Running per-feature mean and (population) variance of observations, merged batch by batch with Chan et al.'s
/// parallel formula so the result equals the statistics of everything seen at once. Kept in double precision:
/// the count grows to billions of samples over a run.
/// </summary>
public sealed class RunningNormalizer
{
    private readonly double[] _mean;
    private readonly double[] _variance;

    public RunningNormalizer(int size, double clip = 10.0, double epsilon = 1e-8)
    {
        if (size <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "RunningNormalizer size must be positive.");
        }
        if (!(clip > 0) || !(epsilon > 0))
        {
            throw new ArgumentException($"RunningNormalizer clip ({clip}) and epsilon ({epsilon}) must be positive.");
        }
        Size = size;
        Clip = clip;
        Epsilon = epsilon;
        _mean = new double[size];
        _variance = new double[size];
        Array.Fill(_variance, 1.0);
    }

    public int Size { get; }

    public double Clip { get; }

    public double Epsilon { get; }

    /// <summary>Samples merged so far (0 = identity transform: mean 0, variance 1).</summary>
    public double Count { get; private set; }

    public ReadOnlySpan<double> Mean => _mean;

    public ReadOnlySpan<double> Variance => _variance;

    /// <summary>Merges a row-major batch of rows × Size samples.</summary>
    public void Update(ReadOnlySpan<float> batch)
    {
        if (batch.Length % Size != 0)
        {
            throw new ArgumentException($"RunningNormalizer batch length {batch.Length} is not a multiple of Size {Size}.", nameof(batch));
        }
        int rows = batch.Length / Size;
        if (rows == 0)
        {
            return;
        }
        double[] mean = new double[Size];
        double[] variance = new double[Size];
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = batch.Slice(r * Size, Size);
            for (int j = 0; j < Size; j++)
            {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < Size; j++)
        {
            mean[j] /= rows;
        }
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = batch.Slice(r * Size, Size);
            for (int j = 0; j < Size; j++)
            {
                double d = row[j] - mean[j];
                variance[j] += d * d;
            }
        }
        for (int j = 0; j < Size; j++)
        {
            variance[j] /= rows;
        }
        Merge(rows, mean, variance);
    }

    /// <summary>Merges statistics (count, mean, population variance) computed elsewhere.</summary>
    public void Merge(double count, ReadOnlySpan<double> mean, ReadOnlySpan<double> variance)
    {
        if (mean.Length != Size || variance.Length != Size)
        {
            throw new ArgumentException($"RunningNormalizer.Merge expects {Size} means and variances, got {mean.Length} and {variance.Length}.");
        }
        if (!(count >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "RunningNormalizer.Merge count must be non-negative.");
        }
        if (count == 0)
        {
            return;
        }
        if (Count == 0)
        {
            mean.CopyTo(_mean);
            variance.CopyTo(_variance);
            Count = count;
            return;
        }
        double total = Count + count;
        for (int j = 0; j < Size; j++)
        {
            double delta = mean[j] - _mean[j];
            double m2 = _variance[j] * Count + variance[j] * count + delta * delta * Count * count / total;
            _mean[j] += delta * count / total;
            _variance[j] = m2 / total;
        }
        Count = total;
    }

    /// <summary>Normalises one row in place: clamp((x − mean) / sqrt(var + ε), ±clip).</summary>
    public void Normalize(Span<float> row)
    {
        if (row.Length != Size)
        {
            throw new ArgumentException($"RunningNormalizer.Normalize expects {Size} values, got {row.Length}.", nameof(row));
        }
        for (int j = 0; j < Size; j++)
        {
            double z = (row[j] - _mean[j]) / Math.Sqrt(_variance[j] + Epsilon);
            row[j] = (float)Math.Clamp(z, -Clip, Clip);
        }
    }

    public float[] MeanAsFloats() => Array.ConvertAll(_mean, v => (float)v);

    public float[] VarianceAsFloats() => Array.ConvertAll(_variance, v => (float)v);

    public void Write(BinaryWriter writer)
    {
        writer.Write(Size);
        writer.Write(Clip);
        writer.Write(Epsilon);
        writer.Write(Count);
        foreach (double v in _mean)
        {
            writer.Write(v);
        }
        foreach (double v in _variance)
        {
            writer.Write(v);
        }
    }

    public static RunningNormalizer Read(BinaryReader reader)
    {
        int size = reader.ReadInt32();
        double clip = reader.ReadDouble();
        double epsilon = reader.ReadDouble();
        var normalizer = new RunningNormalizer(size, clip, epsilon) { Count = reader.ReadDouble() };
        for (int j = 0; j < size; j++)
        {
            normalizer._mean[j] = reader.ReadDouble();
        }
        for (int j = 0; j < size; j++)
        {
            normalizer._variance[j] = reader.ReadDouble();
        }
        return normalizer;
    }
}
