using System.Numerics;
using MsMano.Evaluation.BioPr;

namespace MsMano.Evaluation.Refine;

/// <summary>
/// RefineNet's forward pass in plain C# for one frame at a time: the BioPR loop refines inside the simulation loop
/// (feedback) and per frame, where a native TorchSharp call per frame would cost more than the 9 k multiply-adds.
/// Weights are copied at construction; buffers are reused, so one instance is not thread-safe.
/// </summary>
public sealed class RefineNetInference : IPoseRefiner
{
    private readonly int _hidden;
    private readonly float[] _w1; // [hidden, 93]
    private readonly float[] _b1;
    private readonly float[] _w2; // [48, hidden]
    private readonly float[] _b2;
    private readonly float[] _input = new float[RefineNet.InputSize];
    private readonly float[] _activation;
    private readonly float[]? _gain; // [48] per pose number, or null

    public RefineNetInference(int hidden, float[] hiddenWeight, float[] hiddenBias, float[] outputWeight, float[] outputBias, bool residual, float[]? referenceGain = null)
    {
        if (referenceGain is not null)
        {
            Require(referenceGain, RefineNet.OutputSize, "reference gain");
            if (!residual)
            {
                throw new ArgumentException("RefineNet's reference gain needs the residual form.", nameof(referenceGain));
            }
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hidden);
        Require(hiddenWeight, hidden * RefineNet.InputSize, "hidden.weight");
        Require(hiddenBias, hidden, "hidden.bias");
        Require(outputWeight, RefineNet.OutputSize * hidden, "output.weight");
        Require(outputBias, RefineNet.OutputSize, "output.bias");
        _hidden = hidden;
        _w1 = hiddenWeight;
        _b1 = hiddenBias;
        _w2 = outputWeight;
        _b2 = outputBias;
        _activation = new float[hidden];
        _gain = referenceGain;
        Residual = residual;
    }

    public bool Residual { get; }

    /// <summary>predicted 48, reference 48 (its wrist is dropped) or 45 → refined 48.</summary>
    public void Refine(ReadOnlySpan<float> predicted, ReadOnlySpan<float> reference, Span<float> refined)
    {
        if (predicted.Length != RefineNet.PredictedSize || refined.Length != RefineNet.OutputSize)
        {
            throw new ArgumentException($"RefineNet reads a {RefineNet.PredictedSize}-number prediction and writes {RefineNet.OutputSize}; got {predicted.Length} and {refined.Length}.");
        }

        int skip = reference.Length switch
        {
            RefineNet.PredictedSize => 3,
            RefineNet.ReferenceSize => 0,
            _ => throw new ArgumentException($"reference has {reference.Length} numbers; expected 45 or 48.", nameof(reference)),
        };
        predicted.CopyTo(_input);
        reference[skip..].CopyTo(_input.AsSpan(RefineNet.PredictedSize));
        ReadOnlySpan<float> x = _input;
        for (int h = 0; h < _hidden; h++)
        {
            float sum = _b1[h] + Dot(_w1.AsSpan(h * RefineNet.InputSize, RefineNet.InputSize), x);
            _activation[h] = sum > 0 ? sum : 0;
        }

        ReadOnlySpan<float> hidden = _activation;
        for (int o = 0; o < RefineNet.OutputSize; o++)
        {
            float value = _b2[o] + Dot(_w2.AsSpan(o * _hidden, _hidden), hidden);
            refined[o] = Residual ? value + predicted[o] : value;
        }

        if (_gain is not null)
        {
            // A 45-number reference has no wrist: no pull there, as in RefineNet.BuildInputs.
            for (int k = 3 - skip; k < RefineNet.OutputSize; k++)
            {
                refined[k] += _gain[k] * (reference[k - 3 + skip] - predicted[k]);
            }
        }
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int width = Vector<float>.Count;
        Vector<float> acc = Vector<float>.Zero;
        int k = 0;
        for (; k <= a.Length - width; k += width)
        {
            acc += new Vector<float>(a[k..]) * new Vector<float>(b[k..]);
        }

        float sum = Vector.Sum(acc);
        for (; k < a.Length; k++)
        {
            sum += a[k] * b[k];
        }

        return sum;
    }

    private static void Require(float[] values, int length, string name)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        if (values.Length != length)
        {
            throw new ArgumentException($"RefineNet tensor {name} has {values.Length} numbers; expected {length}.", name);
        }
    }
}
