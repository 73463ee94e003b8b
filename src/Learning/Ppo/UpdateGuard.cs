using MsMano.Learning.Networks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MsMano.Learning.Ppo;

/// <summary>
/// Keeps the learner's last good state and refuses any update whose loss, gradients or resulting weights are
/// non-finite: <see cref="Capture"/> copies the parameters, Adam's state and the normaliser before an update;
/// <see cref="RejectIfNonFinite"/> and <see cref="CheckParameters"/> throw <see cref="UpdateRejectedException"/>;
/// <see cref="Restore"/> puts the copy back. One NaN in a batch then costs that batch, never the run. Reusable on
/// any path that computes and applies gradients (the data-parallel all-reduce included).
/// </summary>
public sealed class UpdateGuard : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly Tensor[] _copies;
    private readonly MemoryStream _optimizerState = new();
    private byte[] _normalizer = [];
    private double _learningRate;

    public UpdateGuard(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = parameters.ToArray();
        using IDisposable _ = no_grad();
        _copies = _parameters.Select(p => p.detach().clone()).ToArray();
    }

    /// <summary>Updates refused so far.</summary>
    public long Rejected { get; private set; }

    /// <summary>Why the last update was refused, or null.</summary>
    public string? LastReason { get; private set; }

    /// <summary>Copies the state an update may change; call before it starts.</summary>
    public void Capture(OptimizerHelper optimizer, Networks.RunningNormalizer normalizer, double learningRate)
    {
        using (no_grad())
        {
            for (int i = 0; i < _parameters.Length; i++)
            {
                _copies[i].copy_(_parameters[i]);
            }
        }
        _optimizerState.SetLength(0);
        using (var writer = new BinaryWriter(_optimizerState, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            optimizer.save_state_dict(writer);
        }
        using var normalizerBytes = new MemoryStream();
        using (var writer = new BinaryWriter(normalizerBytes, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            normalizer.Write(writer);
        }
        _normalizer = normalizerBytes.ToArray();
        _learningRate = learningRate;
    }

    /// <summary>Throws when a minibatch's loss or gradient norm is not finite (call before the optimiser step).</summary>
    public static void RejectIfNonFinite(double loss, double gradientNorm)
    {
        if (!double.IsFinite(loss))
        {
            throw new UpdateRejectedException($"the loss is {loss}");
        }
        if (!double.IsFinite(gradientNorm))
        {
            throw new UpdateRejectedException($"the gradient norm is {gradientNorm}");
        }
    }

    /// <summary>Throws naming the first parameter tensor holding a NaN or ∞.</summary>
    public void CheckParameters(Func<int, string> name)
    {
        using IDisposable _ = no_grad();
        for (int i = 0; i < _parameters.Length; i++)
        {
            using Tensor finite = isfinite(_parameters[i]).all();
            if (!finite.item<bool>())
            {
                throw new UpdateRejectedException($"parameter {name(i)} holds a non-finite value after the step");
            }
        }
    }

    /// <summary>Puts back the captured state and counts the refusal; returns the restored normaliser and learning rate.</summary>
    public (Networks.RunningNormalizer Normalizer, double LearningRate) Restore(OptimizerHelper optimizer, string reason)
    {
        (RunningNormalizer Normalizer, double LearningRate) restored = PutBack(optimizer);
        Rejected++;
        LastReason = reason;
        return restored;
    }

    /// <summary>Puts back the captured state without counting a refusal (a group abandoned an update that was fine).</summary>
    public (Networks.RunningNormalizer Normalizer, double LearningRate) PutBack(OptimizerHelper optimizer)
    {
        using (no_grad())
        {
            for (int i = 0; i < _parameters.Length; i++)
            {
                _parameters[i].copy_(_copies[i]);
            }
        }
        _optimizerState.Position = 0;
        using (var reader = new BinaryReader(_optimizerState, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            optimizer.load_state_dict(reader);
        }
        Networks.RunningNormalizer normalizer;
        using (var reader = new BinaryReader(new MemoryStream(_normalizer)))
        {
            normalizer = Networks.RunningNormalizer.Read(reader);
        }
        return (normalizer, _learningRate);
    }

    public void Dispose()
    {
        foreach (Tensor copy in _copies)
        {
            copy.Dispose();
        }
        _optimizerState.Dispose();
    }
}

/// <summary>An update refused by <see cref="UpdateGuard"/>: nothing of it was applied; the learner is as before it.</summary>
public sealed class UpdateRejectedException(string reason) : InvalidOperationException($"PPO update refused, the previous weights are kept: {reason}")
{
    public string Reason { get; } = reason;
}
