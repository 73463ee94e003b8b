using TorchSharp;
using static TorchSharp.torch;
using TorchSharp.Modules;

namespace MsMano.Learning.Optimizers;

/// <summary>
/// TorchSharp's Adam with every scalar operand created explicitly and held until the native call returns. TorchSharp's
/// own step converts doubles to <see cref="Scalar"/> implicitly: a Scalar wraps a raw native pointer and frees it in its
/// finalizer, and nothing keeps the temporary alive across the P/Invoke, so a garbage collection on another thread can
/// free it while libtorch reads it ("Unknown scalar type", seen in test runs). Same arithmetic, same state objects (so
/// checkpoints and the update guard see an ordinary <see cref="Adam"/>); amsgrad and maximize are not used here.
/// </summary>
public sealed class HeldScalarAdam : Adam
{
    public HeldScalarAdam(IEnumerable<Parameter> parameters, double lr, double beta1, double beta2, double eps)
        : base(parameters, lr, beta1, beta2, eps)
    {
    }

    public override Tensor step(Func<Tensor>? closure = null)
    {
        return _step<ParamGroup>(group =>
        {
            var options = (Options)group.Options;
            double beta1 = options.beta1!.Value, beta2 = options.beta2!.Value, eps = options.eps!.Value, lr = options.LearningRate!.Value;
            if (options.amsgrad == true || options.maximize == true || options.weight_decay is not (null or 0.0))
            {
                throw new NotSupportedException("HeldScalarAdam implements plain Adam only (no amsgrad, maximize or weight decay).");
            }
            using Scalar keep1 = beta1.ToScalar(), take1 = (1 - beta1).ToScalar(), keep2 = beta2.ToScalar(), take2 = (1 - beta2).ToScalar(), epsilon = eps.ToScalar();
            foreach (Parameter param in group.Parameters)
            {
                Tensor? grad = param.grad;
                if (grad is null)
                {
                    continue;
                }
                var state = (State)_state[param.Handle];
                state.step += 1;
                double biasCorrection1 = 1 - Math.Pow(beta1, state.step);
                double biasCorrection2 = 1 - Math.Pow(beta2, state.step);
                state.exp_avg.mul_(keep1).add_(grad, alpha: take1);
                state.exp_avg_sq.mul_(keep2).addcmul_(grad, grad.conj(), value: take2);
                using Scalar root = Math.Sqrt(biasCorrection2).ToScalar(), stepSize = (-lr / biasCorrection1).ToScalar();
                using Tensor denominator = state.exp_avg_sq.sqrt();
                denominator.div_(root).add_(epsilon);
                param.addcdiv_(state.exp_avg, denominator, value: stepSize);
            }
        }, closure);
    }
}
