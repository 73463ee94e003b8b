namespace MsMano.Learning.Ppo;

/// <summary>
/// The KL-adaptive schedule: shrink the step when an epoch moved the policy much more than intended, grow it when
/// the policy barely moved. Keeps updates near the trust region without hand-tuned decay.
/// </summary>
public static class KlAdaptiveLearningRate
{
    public const double Factor = 1.5;

    /// <summary>lr / 1.5 above 2 × target, lr × 1.5 below target / 2, clamped to [min, max].</summary>
    public static double Next(double learningRate, double approxKl, double targetKl, double min, double max)
    {
        double next = learningRate;
        if (approxKl > 2.0 * targetKl)
        {
            next = learningRate / Factor;
        }
        else if (approxKl < 0.5 * targetKl)
        {
            next = learningRate * Factor;
        }
        return Math.Clamp(next, min, max);
    }
}
