using MsMano.Environments.Policy;
using MsMano.Learning.Networks;
using MsMano.Learning.Ppo;
using TorchSharp;
using static TorchSharp.torch;

namespace MsMano.Learning.Tests;

/// <summary>The learner's current policy and value run with TorchSharp: the reference the tests hold the exported policy and PPO to.</summary>
internal static class PpoReferencePolicy
{
    /// <summary>Raw Gaussian samples (or the means) for N agents and their log-densities.</summary>
    public static void Act(this PpoLearner learner, ReadOnlySpan<float> observations, Span<float> rawActions, Span<float> logProbs, bool deterministic, Random rng)
    {
        int actSize = learner.Config.ActionSize;
        int agents = observations.Length / learner.Config.ObservationSize;
        if (rawActions.Length != agents * actSize || logProbs.Length != agents)
        {
            throw new ArgumentException($"rawActions must hold {agents * actSize} and logProbs {agents} values for {agents} agents.");
        }
        float[] means = learner.PredictMean(observations);
        float[] logStd;
        using (Tensor cpu = learner.Policy.LogStd.detach().cpu().contiguous())
        {
            logStd = cpu.data<float>().ToArray();
        }
        double constant = 0;
        for (int j = 0; j < actSize; j++)
        {
            constant += -logStd[j] - 0.5 * Math.Log(2 * Math.PI);
        }
        for (int i = 0; i < agents; i++)
        {
            double squares = 0;
            for (int j = 0; j < actSize; j++)
            {
                double z = deterministic ? 0.0 : rng.NextGaussian();
                rawActions[i * actSize + j] = (float)(means[i * actSize + j] + Math.Exp(logStd[j]) * z);
                squares += z * z;
            }
            logProbs[i] = (float)(constant - 0.5 * squares);
        }
    }

    /// <summary>Mean action for raw observations [N · obs] → [N · act].</summary>
    public static float[] PredictMean(this PpoLearner learner, ReadOnlySpan<float> observations)
    {
        using DisposeScope scope = NewDisposeScope();
        using IDisposable noGrad = no_grad();
        using var normalizer = new NormalizerTensors(learner.Normalizer, learner.Device);
        return learner.Policy.forward(normalizer.Apply(OnDevice(learner, observations))).cpu().data<float>().ToArray();
    }

    /// <summary>V(s) for raw observations [N · obs] → [N].</summary>
    public static float[] PredictValue(this PpoLearner learner, ReadOnlySpan<float> observations)
    {
        using DisposeScope scope = NewDisposeScope();
        using IDisposable noGrad = no_grad();
        using var normalizer = new NormalizerTensors(learner.Normalizer, learner.Device);
        return learner.Value.forward(normalizer.Apply(OnDevice(learner, observations))).cpu().data<float>().ToArray();
    }

    private static Tensor OnDevice(PpoLearner learner, ReadOnlySpan<float> observations)
    {
        int obsSize = learner.Config.ObservationSize;
        if (observations.Length % obsSize != 0)
        {
            throw new ArgumentException($"observations length {observations.Length} is not a multiple of {obsSize}.", nameof(observations));
        }
        return tensor(observations.ToArray(), [observations.Length / obsSize, obsSize], dtype: float32).to(learner.Device);
    }
}
