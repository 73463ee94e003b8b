using TorchSharp;
using static TorchSharp.torch;

namespace MsMano.Learning.Networks;

/// <summary>State-value critic: normalised observation → 256 → 256 → 1 (ReLU), separate from the policy as in the authors' config.</summary>
public sealed class ValueNetwork : nn.Module<Tensor, Tensor>
{
    private readonly MultiLayerPerceptron _body;

    public ValueNetwork(int observationSize, IReadOnlyList<int> hidden)
        : base(nameof(ValueNetwork))
    {
        _body = new MultiLayerPerceptron("value", observationSize, hidden, 1, headGain: 1.0);
        RegisterComponents();
    }

    /// <summary>V(s) for normalised observations [B, obs] → [B].</summary>
    public override Tensor forward(Tensor normalizedObservations)
    {
        using DisposeScope scope = NewDisposeScope();
        return _body.forward(normalizedObservations).squeeze(1).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _body.Dispose();
        }
        base.Dispose(disposing);
    }
}
