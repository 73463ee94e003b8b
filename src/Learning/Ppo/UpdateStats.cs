namespace MsMano.Learning.Ppo;

/// <summary>What one PPO update did; every loss is a mean over all minibatches of all epochs.</summary>
/// <param name="UpdateIndex">1-based count of updates including this one.</param>
/// <param name="PolicyVersion">Version of the policy after this update (the one to publish).</param>
/// <param name="PolicyLoss">Clipped surrogate loss.</param>
/// <param name="ValueLoss">Value regression loss (before ValueCoef).</param>
/// <param name="Entropy">Policy entropy (nats, summed over action dims).</param>
/// <param name="ApproxKl">Mean approximate KL(old‖new) over the last epoch's minibatches.</param>
/// <param name="ClipFraction">Share of samples whose ratio left [1 − ε, 1 + ε].</param>
/// <param name="ExplainedVariance">1 − Var(returns − values) / Var(returns) on the rollout values.</param>
/// <param name="LearningRate">Learning rate after the KL-adaptive adjustments (used by the next update).</param>
/// <param name="GradNorm">Mean gradient norm before clipping.</param>
/// <param name="MeanReward">Mean per-step reward in the batch.</param>
/// <param name="Transitions">Transitions in the batch.</param>
/// <param name="Seconds">Wall time of the update.</param>
/// <param name="MaxPolicyLag">Largest (learner version − segment version) in the batch: how stale the data was.</param>
public sealed record UpdateStats(
    long UpdateIndex,
    long PolicyVersion,
    double PolicyLoss,
    double ValueLoss,
    double Entropy,
    double ApproxKl,
    double ClipFraction,
    double ExplainedVariance,
    double LearningRate,
    double GradNorm,
    double MeanReward,
    int Transitions,
    double Seconds,
    long MaxPolicyLag)
{
    public double TransitionsPerSecond => Seconds > 0 ? Transitions / Seconds : 0.0;
}
