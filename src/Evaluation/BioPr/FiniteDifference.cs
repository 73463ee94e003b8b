namespace MsMano.Evaluation.BioPr;

/// <summary>
/// Rates of a sampled trajectory [frames x width]: central differences (x[f+1] - x[f-1]) fps / 2 inside, one-sided at
/// the ends, zero for a single frame. Central differences are the derivative estimate at the frame itself and halve the
/// jitter a one-sided difference would pass on from noisy predictions.
/// </summary>
public static class FiniteDifference
{
    public static void Rates(ReadOnlySpan<float> values, int width, int frames, double fps, Span<float> rates)
    {
        if (values.Length != frames * width || rates.Length != frames * width)
        {
            throw new ArgumentException($"Rates need [{frames} x {width}] values and rates; got {values.Length} and {rates.Length}.");
        }

        if (frames < 2)
        {
            rates.Clear();
            return;
        }

        float rate = (float)fps;
        for (int f = 0; f < frames; f++)
        {
            int before = Math.Max(0, f - 1);
            int after = Math.Min(frames - 1, f + 1);
            float scale = rate / (after - before);
            for (int k = 0; k < width; k++)
            {
                rates[(f * width) + k] = (values[(after * width) + k] - values[(before * width) + k]) * scale;
            }
        }
    }
}
