using MsMano.Learning.Optimizers;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace MsMano.Learning.Tests.Optimizers;

[Collection("Torch")]
public sealed class HeldScalarAdamTests
{
    [Fact]
    public void Its_steps_match_TorchSharps_Adam_bit_for_bit_over_a_changing_learning_rate()
    {
        using DisposeScope scope = NewDisposeScope();
        (Parameter[] reference, Parameter[] held) = (Parameters(seed: 3), Parameters(seed: 3));
        using var adam = new Adam(reference, lr: 3e-4, beta1: 0.9, beta2: 0.999, eps: 1e-5);
        using var heldAdam = new HeldScalarAdam(held, lr: 3e-4, beta1: 0.9, beta2: 0.999, eps: 1e-5);
        for (int step = 0; step < 25; step++)
        {
            // Different gradients every step, and a learning rate that moves as the KL schedule moves it.
            Step(adam, reference, seed: 100 + step, lr: 3e-4 * (1 + 0.1 * step));
            Step(heldAdam, held, seed: 100 + step, lr: 3e-4 * (1 + 0.1 * step));
        }
        for (int i = 0; i < reference.Length; i++)
        {
            Assert.Equal(reference[i].data<float>().ToArray(), held[i].data<float>().ToArray());
        }
        foreach ((Adam.State expected, Adam.State actual) in adam.state_dict().State.Cast<Adam.State>().Zip(heldAdam.state_dict().State.Cast<Adam.State>()))
        {
            Assert.Equal(expected.step, actual.step);
            Assert.Equal(expected.exp_avg.data<float>().ToArray(), actual.exp_avg.data<float>().ToArray());
            Assert.Equal(expected.exp_avg_sq.data<float>().ToArray(), actual.exp_avg_sq.data<float>().ToArray());
        }
    }

    [Fact]
    public void What_it_does_not_implement_is_refused_by_name()
    {
        using DisposeScope scope = NewDisposeScope();
        Parameter[] parameters = Parameters(seed: 1);
        using var adam = new HeldScalarAdam(parameters, lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8);
        foreach (optim.ILearningRateController group in adam.ParamGroups)
        {
            ((Adam.ParamGroup)group).Options.amsgrad = true;
        }
        NotSupportedException refused = Assert.Throws<NotSupportedException>(() => Step(adam, parameters, seed: 5, lr: 1e-3));
        Assert.Contains("amsgrad", refused.Message);
    }

    private static Parameter[] Parameters(int seed)
    {
        var generator = new Generator((ulong)seed);
        return [new Parameter(randn(64, 31, generator: generator)), new Parameter(randn(31, generator: generator))];
    }

    private static void Step(Adam adam, Parameter[] parameters, int seed, double lr)
    {
        foreach (optim.ILearningRateController group in adam.ParamGroups)
        {
            group.LearningRate = lr;
        }
        adam.zero_grad();
        var generator = new Generator((ulong)seed);
        Tensor target = randn(64, 31, generator: generator);
        Tensor loss = (parameters[0] * parameters[1] - target).square().mean();
        loss.backward();
        adam.step();
    }
}
