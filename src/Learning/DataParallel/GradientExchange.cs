using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MsMano.Learning.DataParallel;

/// <summary>
/// Sums every parameter's gradient (plus a few loss sums) over the group and writes the sums back, so the clip and
/// the Adam step that follow see the union minibatch's gradient on every member. Two buckets, as PyTorch's DDP
/// buckets by layer: the first (the value net) is summed while the second's backward pass still runs.
/// </summary>
public sealed class GradientExchange
{
    private readonly Bucket _first;
    private readonly Bucket _second;

    /// <param name="first">Parameters whose gradients are ready first (their backward runs first).</param>
    /// <param name="second">The rest; the loss sums ride at the end of this bucket.</param>
    public GradientExchange(Parameter[] first, Parameter[] second)
    {
        _first = new Bucket(first);
        _second = new Bucket(second);
    }

    /// <summary>Floats per exchange: every gradient element.</summary>
    public int GradientLength => _first.Length + _second.Length;

    /// <summary>Starts summing the first bucket's gradients; call once their backward pass is done.</summary>
    public IPendingSum BeginFirst(IAllReduce group)
    {
        _first.Flatten(0);
        return group.BeginSum(_first.Buffer);
    }

    /// <summary>Sums the second bucket's gradients and <paramref name="extras"/>, waits for the first, writes both back.</summary>
    public void FinishSecond(IAllReduce group, IPendingSum first, Span<float> extras)
    {
        _second.Flatten(extras.Length);
        extras.CopyTo(_second.Buffer.AsSpan(_second.Length));
        first.Wait();
        group.Sum(_second.Buffer);
        _first.WriteBack();
        _second.WriteBack();
        _second.Buffer.AsSpan(_second.Length, extras.Length).CopyTo(extras);
    }

    private sealed class Bucket
    {
        private readonly Parameter[] _parameters;
        private readonly int[] _offsets;

        public Bucket(Parameter[] parameters)
        {
            _parameters = parameters;
            _offsets = new int[parameters.Length];
            int offset = 0;
            for (int i = 0; i < parameters.Length; i++)
            {
                _offsets[i] = offset;
                offset += checked((int)parameters[i].numel());
            }
            Length = offset;
        }

        public int Length { get; }

        public float[] Buffer { get; private set; } = [];

        public void Flatten(int extras)
        {
            if (Buffer.Length != Length + extras)
            {
                Buffer = new float[Length + extras];
            }
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            for (int i = 0; i < _parameters.Length; i++)
            {
                var grad = _parameters[i].grad;
                int n = (int)_parameters[i].numel();
                if (grad is null)
                {
                    Array.Clear(Buffer, _offsets[i], n);
                    continue;
                }
                using var flat = grad.detach().cpu().contiguous().view(-1);
                flat.data<float>().CopyTo(Buffer, _offsets[i]);
            }
        }

        public void WriteBack()
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var all = tensor(Buffer, [Buffer.LongLength], dtype: float32);
            for (int i = 0; i < _parameters.Length; i++)
            {
                var parameter = _parameters[i];
                var summed = all.narrow(0, _offsets[i], parameter.numel()).view(parameter.shape).to(parameter.device);
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
