namespace MsMano.Learning.DataParallel;

/// <summary>
/// Group-wide first and second moments of the advantages, returns and value residuals, and the reward sum: what
/// advantage normalisation and the update's statistics need from the whole union batch.
/// </summary>
public sealed class BatchMoments
{
    private BatchMoments(double[] sums)
    {
        double n = sums[0];
        AdvantageMean = n > 0 ? sums[1] / n : 0.0;
        // Sample standard deviation, as the central learner always normalised with.
        AdvantageStd = n > 1 ? Math.Sqrt(Math.Max(0.0, (sums[2] - n * AdvantageMean * AdvantageMean) / (n - 1))) : 0.0;
        Count = n;
        double returnVariance = n > 0 ? sums[4] / n - (sums[3] / n) * (sums[3] / n) : 0.0;
        double residualVariance = n > 0 ? sums[6] / n - (sums[5] / n) * (sums[5] / n) : 0.0;
        ExplainedVariance = returnVariance > 0 ? 1.0 - residualVariance / returnVariance : double.NaN;
        MeanReward = n > 0 ? sums[7] / n : 0.0;
    }

    public double Count { get; }

    public double AdvantageMean { get; }

    public double AdvantageStd { get; }

    public double ExplainedVariance { get; }

    public double MeanReward { get; }

    public static BatchMoments Exchange(IAllReduce group, ReadOnlySpan<float> advantages, ReadOnlySpan<float> returns, ReadOnlySpan<float> values, double rewardSum)
    {
        double[] sums = new double[8];
        sums[0] = advantages.Length;
        for (int i = 0; i < advantages.Length; i++)
        {
            double a = advantages[i];
            double r = returns[i];
            double residual = r - values[i];
            sums[1] += a;
            sums[2] += a * a;
            sums[3] += r;
            sums[4] += r * r;
            sums[5] += residual;
            sums[6] += residual * residual;
        }
        sums[7] = rewardSum;
        group.Sum(sums);
        return new BatchMoments(sums);
    }

    /// <summary>Standardises this member's advantages with the group's mean and deviation (a batch of one is left as is).</summary>
    public void NormalizeAdvantages(Span<float> advantages)
    {
        if (Count < 2)
        {
            return;
        }
        double scale = 1.0 / (AdvantageStd + 1e-8);
        for (int i = 0; i < advantages.Length; i++)
        {
            advantages[i] = (float)((advantages[i] - AdvantageMean) * scale);
        }
    }
}
