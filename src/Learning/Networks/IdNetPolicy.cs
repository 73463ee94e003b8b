using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MsMano.Learning.Networks;

/// <summary>
/// IDNet (paper Sec. 4): normalised observation → 256 → 256 → 31 excitation means (ReLU), plus a state-independent
/// log standard deviation, i.e. a diagonal Gaussian policy whose samples the environment clips to [−1, 1].
/// </summary>
public sealed class IdNetPolicy : nn.Module<Tensor, Tensor>
{
    // Held for the process's lifetime: an implicitly converted Scalar can be finalized while libtorch reads it.
    private static readonly Scalar HalfLogTwoPi = (0.5 * Math.Log(2.0 * Math.PI)).ToScalar();
    private static readonly Scalar Half = 0.5.ToScalar();
    private static readonly Scalar MinusHalf = (-0.5).ToScalar();

    private readonly MultiLayerPerceptron _mean;
    private readonly Parameter _logStd;

    public IdNetPolicy(int observationSize, IReadOnlyList<int> hidden, int actionSize, double initialLogStd, double initialActionMean = 0.0)
        : base(nameof(IdNetPolicy))
    {
        // Head gain 0.01 starts every mean near its bias, so early actions are driven by the log-std alone (SB3 default).
        _mean = new MultiLayerPerceptron("mean", observationSize, hidden, actionSize, headGain: 0.01, headBias: initialActionMean);
        _logStd = new Parameter(full(actionSize, initialLogStd, dtype: float32));
        RegisterComponents();
    }

    public MultiLayerPerceptron MeanNetwork => _mean;

    public Parameter LogStd => _logStd;

    /// <summary>Mean action for normalised observations [B, obs] → [B, act].</summary>
    public override Tensor forward(Tensor normalizedObservations) => _mean.forward(normalizedObservations);

    /// <summary>Log-density of <paramref name="actions"/> summed over action dims, [B].</summary>
    public Tensor LogProb(Tensor mean, Tensor actions)
    {
        using DisposeScope scope = NewDisposeScope();
        Tensor z = (actions - mean) * exp(-_logStd);
        Tensor perDim = (z * z).mul(MinusHalf) - _logStd - HalfLogTwoPi;
        return perDim.sum(1).MoveToOuterDisposeScope();
    }

    /// <summary>Entropy of the diagonal Gaussian (state-independent), a scalar.</summary>
    public Tensor Entropy()
    {
        using DisposeScope scope = NewDisposeScope();
        return _logStd.add(Half).add(HalfLogTwoPi).sum().MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _mean.Dispose();
            _logStd.Dispose();
        }
        base.Dispose(disposing);
    }
}
