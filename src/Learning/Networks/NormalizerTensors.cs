using TorchSharp;
using static TorchSharp.torch;

namespace MsMano.Learning.Networks;

/// <summary>The normaliser's current statistics as device tensors, applied as clamp((x − μ) / √(σ² + ε), ±clip).</summary>
internal sealed class NormalizerTensors : IDisposable
{
    private readonly Tensor _mean;
    private readonly Tensor _inverseStd;
    private readonly Scalar _low;
    private readonly Scalar _high;

    public NormalizerTensors(RunningNormalizer normalizer, Device device)
    {
        float[] inverseStd = new float[normalizer.Size];
        for (int j = 0; j < inverseStd.Length; j++)
        {
            inverseStd[j] = (float)(1.0 / Math.Sqrt(normalizer.Variance[j] + normalizer.Epsilon));
        }
        _mean = tensor(normalizer.MeanAsFloats(), device: device).DetachFromDisposeScope();
        _inverseStd = tensor(inverseStd, device: device).DetachFromDisposeScope();
        // Held, not converted per call: an implicit Scalar can be finalized while libtorch reads it.
        _low = (-normalizer.Clip).ToScalar();
        _high = normalizer.Clip.ToScalar();
    }

    /// <summary>Normalised copy of raw observations [B, obs].</summary>
    public Tensor Apply(Tensor observations) => ((observations - _mean) * _inverseStd).clamp(_low, _high);

    public void Dispose()
    {
        _mean.Dispose();
        _inverseStd.Dispose();
        _low.Dispose();
        _high.Dispose();
    }
}
