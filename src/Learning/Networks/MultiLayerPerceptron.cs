using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MsMano.Learning.Networks;

/// <summary>
/// Linear → ReLU → … → Linear with orthogonal initialisation (gain √2 on hidden layers, a chosen gain on the head),
/// as SB3's PPO does by default. Shared by the IDNet policy and the value net.
/// </summary>
public sealed class MultiLayerPerceptron : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<Linear> _layers;

    public MultiLayerPerceptron(string name, int inputSize, IReadOnlyList<int> hidden, int outputSize, double headGain, double headBias = 0.0)
        : base(name)
    {
        _layers = new ModuleList<Linear>();
        int width = inputSize;
        foreach (int h in hidden)
        {
            _layers.Add(nn.Linear(width, h));
            width = h;
        }
        _layers.Add(nn.Linear(width, outputSize));
        RegisterComponents();

        using (no_grad())
        {
            for (int i = 0; i < _layers.Count; i++)
            {
                double gain = i == _layers.Count - 1 ? headGain : Math.Sqrt(2.0);
                nn.init.orthogonal_(_layers[i].weight!, gain);
                nn.init.constant_(_layers[i].bias!, i == _layers.Count - 1 ? headBias : 0.0);
            }
        }
    }

    /// <summary>Linear layers in order; the last is the output head.</summary>
    public IList<Linear> Layers => _layers;

    public override Tensor forward(Tensor input)
    {
        using DisposeScope scope = NewDisposeScope();
        Tensor x = input;
        for (int i = 0; i < _layers.Count; i++)
        {
            x = _layers[i].forward(x);
            if (i < _layers.Count - 1)
            {
                x = nn.functional.relu(x);
            }
        }
        return x.MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _layers.Dispose();
        }
        base.Dispose(disposing);
    }
}
