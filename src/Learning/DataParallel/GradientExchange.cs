using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MsMano.Learning.DataParallel;

/// <summary>
/// Flattens every parameter's gradient (plus a few loss sums) into one buffer, sums it over the group and writes the
/// sums back, so the clip and the Adam step that follow see the union minibatch's gradient on every member.
/// </summary>
public sealed class GradientExchange
{
    private readonly Parameter[] _parameters;
    private readonly int[] _offsets;
    private readonly int _length;
    private float[] _buffer = [];

    public GradientExchange(Parameter[] parameters)
    {
        _parameters = parameters;
        _offsets = new int[parameters.Length];
        int offset = 0;
        for (int i = 0; i < parameters.Length; i++)
        {
            _offsets[i] = offset;
            offset += checked((int)parameters[i].numel());
        }
        _length = offset;
    }

    /// <summary>Floats per exchange: every gradient element.</summary>
    public int GradientLength => _length;

    /// <summary>Sums the gradients and <paramref name="extras"/> over the group, in place.</summary>
    public void SumOverGroup(IAllReduce group, Span<float> extras)
    {
        if (_buffer.Length != _length + extras.Length)
        {
            _buffer = new float[_length + extras.Length];
        }
        using (DisposeScope scope = NewDisposeScope())
        {
            using IDisposable _ = no_grad();
            for (int i = 0; i < _parameters.Length; i++)
            {
                Tensor? grad = _parameters[i].grad;
                int n = (int)_parameters[i].numel();
                if (grad is null)
                {
                    Array.Clear(_buffer, _offsets[i], n);
                    continue;
                }
                using Tensor flat = grad.detach().cpu().contiguous().view(-1);
                flat.data<float>().CopyTo(_buffer, _offsets[i]);
            }
        }
        extras.CopyTo(_buffer.AsSpan(_length));
        group.Sum(_buffer);
        extras.Clear();
        _buffer.AsSpan(_length, extras.Length).CopyTo(extras);
        using (DisposeScope scope = NewDisposeScope())
        {
            using IDisposable _ = no_grad();
            Tensor all = tensor(_buffer, [_buffer.LongLength], dtype: float32);
            for (int i = 0; i < _parameters.Length; i++)
            {
                Parameter parameter = _parameters[i];
                Tensor summed = all.narrow(0, _offsets[i], parameter.numel()).view(parameter.shape).to(parameter.device);
                if (parameter.grad is null)
                {
                    parameter.grad = summed.clone().MoveToOuterDisposeScope();
                }
                else
                {
                    parameter.grad.copy_(summed);
                }
            }
        }
    }
}
