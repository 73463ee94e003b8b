using MsMano.Contracts.Policy;
using MsMano.Environments.Policy;
using TorchSharp;
using static TorchSharp.torch;

namespace MsMano.Environments.Tests.Policy;

/// <summary>
/// The same IDNet mean forward done with TorchSharp on the CPU: the reference <see cref="PolicyRunner"/> is checked
/// against, and the baseline its benchmark compares with.
/// </summary>
public sealed class TorchPolicyForward : IDisposable
{
    private readonly Tensor _mean;
    private readonly Tensor _std;
    private readonly float _clip;
    private readonly Tensor[] _weights;
    private readonly Tensor[] _biases;
    private readonly int _observationSize;
    private readonly int _actionSize;

    public TorchPolicyForward(PolicySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        snapshot.Validate();
        _observationSize = snapshot.ObservationSize;
        _actionSize = snapshot.ActionSize;
        _mean = Load(snapshot.Get(PolicySnapshot.ObservationMeanName));
        float epsilon = snapshot.Get(PolicySnapshot.ObservationEpsilonName).AsFloats()[0];
        using (Tensor variance = Load(snapshot.Get(PolicySnapshot.ObservationVarianceName)))
        {
            _std = (variance + epsilon).sqrt().DetachFromDisposeScope();
        }
        _clip = snapshot.Get(PolicySnapshot.ObservationClipName).AsFloats()[0];
        _weights = new Tensor[snapshot.LayerCount];
        _biases = new Tensor[snapshot.LayerCount];
        for (int layer = 0; layer < snapshot.LayerCount; layer++)
        {
            _weights[layer] = Load(snapshot.Get(PolicySnapshot.WeightName(layer)));
            _biases[layer] = Load(snapshot.Get(PolicySnapshot.BiasName(layer)));
        }
    }

    /// <summary>Mean actions for [N · obs] raw observations into [N · act].</summary>
    public void Forward(ReadOnlySpan<float> observations, Span<float> means)
    {
        int agents = observations.Length / _observationSize;
        if (observations.Length != agents * _observationSize || means.Length != agents * _actionSize)
        {
            throw new ArgumentException($"Expected N·{_observationSize} observations and N·{_actionSize} means.");
        }
        using DisposeScope scope = NewDisposeScope();
        using IDisposable _ = no_grad();
        Tensor x = tensor(observations.ToArray(), [agents, _observationSize]);
        x = ((x - _mean) / _std).clamp(-_clip, _clip);
        for (int layer = 0; layer < _weights.Length; layer++)
        {
            x = nn.functional.linear(x, _weights[layer], _biases[layer]);
            if (layer < _weights.Length - 1)
            {
                x = nn.functional.relu(x);
            }
        }
        x.data<float>().CopyTo(means);
    }

    public void Dispose()
    {
        _mean.Dispose();
        _std.Dispose();
        foreach (Tensor t in _weights.Concat(_biases))
        {
            t.Dispose();
        }
    }

    private static Tensor Load(TensorBlob blob) =>
        tensor(blob.AsFloats().ToArray(), blob.Shape.Select(d => (long)d).ToArray()).DetachFromDisposeScope();
}
