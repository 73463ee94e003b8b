using TorchSharp;

namespace MsMano.Learning.Ppo;

/// <summary>
/// The PPO loss's constant scalar operands, made once per learner and held: a <see cref="Scalar"/> converted
/// implicitly from a double can be freed by its finalizer while libtorch still reads it (see HeldScalarAdam).
/// </summary>
internal sealed class LossScalars : IDisposable
{
    public LossScalars(PpoConfig config)
    {
        RatioLow = (1.0 - config.ClipRange).ToScalar();
        RatioHigh = (1.0 + config.ClipRange).ToScalar();
        ClipRange = config.ClipRange.ToScalar();
        ValueCoef = config.ValueCoef.ToScalar();
        One = 1.0.ToScalar();
        if (config.ValueClipRange is { } valueClip)
        {
            ValueLow = (-valueClip).ToScalar();
            ValueHigh = valueClip.ToScalar();
        }
    }

    public Scalar RatioLow { get; }

    public Scalar RatioHigh { get; }

    public Scalar ClipRange { get; }

    public Scalar ValueCoef { get; }

    public Scalar One { get; }

    public Scalar? ValueLow { get; }

    public Scalar? ValueHigh { get; }

    public void Dispose()
    {
        foreach (Scalar? scalar in new[] { RatioLow, RatioHigh, ClipRange, ValueCoef, One, ValueLow, ValueHigh })
        {
            scalar?.Dispose();
        }
    }
}
