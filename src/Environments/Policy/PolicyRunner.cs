using System.Runtime.Intrinsics.X86;
using MsMano.Contracts.Policy;

namespace MsMano.Environments.Policy;

/// <summary>
/// IDNet inference for a batch of agents in pure C#, from a <see cref="PolicySnapshot"/>: it runs on every control
/// step of every simulation actor, so it avoids native-call overhead and allocates nothing per call (all buffers are
/// sized for <see cref="MaxAgents"/> up front). Vector512 or Vector256 + FMA when the CPU has them, scalar otherwise.
/// One runner per actor: not thread-safe.
/// </summary>
public sealed class PolicyRunner
{
    private static readonly double HalfLogTwoPi = 0.5 * Math.Log(2.0 * Math.PI);

    private readonly DenseLayer[] _layers;
    private readonly float[] _observationMean;
    private readonly float[] _observationInverseStd;
    private readonly float[] _logStd;
    private readonly float[] _std;
    private readonly float[] _normalized;
    private readonly float[] _bufferA;
    private readonly float[] _bufferB;
    private readonly int[] _hidden;
    private float _clip;
    private double _logProbAtMean;

    /// <param name="snapshot">Weights to run.</param>
    /// <param name="maxAgents">Largest batch <see cref="Act"/> will be given.</param>
    /// <param name="width">Kernel to use; null picks the widest the CPU accelerates. A width the CPU lacks is lowered.</param>
    public PolicyRunner(PolicySnapshot snapshot, int maxAgents, VectorWidth? width = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (maxAgents <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxAgents), maxAgents, "PolicyRunner maxAgents must be positive.");
        }
        snapshot.Validate();
        ObservationSize = snapshot.ObservationSize;
        ActionSize = snapshot.ActionSize;
        MaxAgents = maxAgents;
        Width = VectorWidths.Supported(width ?? VectorWidths.Best);
        _hidden = snapshot.Hidden.ToArray();

        _layers = new DenseLayer[snapshot.LayerCount];
        int inputStride = ObservationSize;
        int widest = 0;
        for (int layer = 0; layer < _layers.Length; layer++)
        {
            bool isHead = layer == _layers.Length - 1;
            // A layer reads the previous layer's padded rows; the padding columns are zero so the extra inputs add nothing.
            int inputSize = layer == 0 ? ObservationSize : _layers[layer - 1].OutputStride;
            _layers[layer] = new DenseLayer(inputSize, inputStride, snapshot.LayerOutputSize(layer), relu: !isHead);
            inputStride = _layers[layer].OutputStride;
            widest = Math.Max(widest, inputStride);
        }
        _observationMean = new float[ObservationSize];
        _observationInverseStd = new float[ObservationSize];
        _logStd = new float[ActionSize];
        _std = new float[ActionSize];
        _normalized = new float[maxAgents * ObservationSize];
        _bufferA = new float[maxAgents * widest];
        _bufferB = new float[maxAgents * widest];
        Load(snapshot);
    }

    public int ObservationSize { get; }

    public int ActionSize { get; }

    public int MaxAgents { get; }

    /// <summary>The kernel in use (the Vector256 one uses FMA when <see cref="Fma.IsSupported"/>).</summary>
    public VectorWidth Width { get; }

    /// <summary>Policy version of the weights in use.</summary>
    public long Version { get; private set; }

    public ReadOnlySpan<float> LogStd => _logStd;

    /// <summary>Swaps in new weights of the same shape without allocating; a different shape needs a new runner.</summary>
    public void Load(PolicySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        snapshot.Validate();
        if (snapshot.ObservationSize != ObservationSize || snapshot.ActionSize != ActionSize || !snapshot.Hidden.AsSpan().SequenceEqual(_hidden))
        {
            throw new ArgumentException(
                $"PolicySnapshot version {snapshot.Version} is {snapshot.ObservationSize}→[{string.Join(",", snapshot.Hidden)}]→{snapshot.ActionSize}; " +
                $"this runner is {ObservationSize}→[{string.Join(",", _hidden)}]→{ActionSize}.", nameof(snapshot));
        }
        ReadOnlySpan<float> mean = snapshot.Get(PolicySnapshot.ObservationMeanName).AsFloats();
        ReadOnlySpan<float> variance = snapshot.Get(PolicySnapshot.ObservationVarianceName).AsFloats();
        double epsilon = snapshot.Get(PolicySnapshot.ObservationEpsilonName).AsFloats()[0];
        for (int j = 0; j < ObservationSize; j++)
        {
            _observationMean[j] = mean[j];
            _observationInverseStd[j] = (float)(1.0 / Math.Sqrt(variance[j] + epsilon));
        }
        _clip = snapshot.Get(PolicySnapshot.ObservationClipName).AsFloats()[0];
        for (int layer = 0; layer < _layers.Length; layer++)
        {
            ReadOnlySpan<float> weight = snapshot.Get(PolicySnapshot.WeightName(layer)).AsFloats();
            ReadOnlySpan<float> bias = snapshot.Get(PolicySnapshot.BiasName(layer)).AsFloats();
            _layers[layer].SetWeights(weight, bias, snapshot.LayerInputSize(layer));
        }
        snapshot.Get(PolicySnapshot.LogStdName).AsFloats().CopyTo(_logStd);
        double logProbAtMean = 0;
        for (int j = 0; j < ActionSize; j++)
        {
            _std[j] = MathF.Exp(_logStd[j]);
            logProbAtMean += -_logStd[j] - HalfLogTwoPi;
        }
        _logProbAtMean = logProbAtMean;
        Version = snapshot.Version;
    }

    /// <summary>
    /// Samples raw Gaussian actions a = μ(o) + σ·z for N agents (or returns μ when <paramref name="deterministic"/>),
    /// with log N(a; μ, σ) summed over action dims. The environment clips the raw actions to [−1, 1]; the learner
    /// needs them unclipped.
    /// </summary>
    /// <param name="observations">[N · obs] raw observations.</param>
    /// <param name="rawActions">[N · act] output.</param>
    /// <param name="logProbs">[N] output.</param>
    public void Act(ReadOnlySpan<float> observations, Span<float> rawActions, Span<float> logProbs, bool deterministic, ref GaussianRng rng)
    {
        int agents = EvaluateMean(observations, rawActions);
        if (logProbs.Length != agents)
        {
            throw new ArgumentException($"logProbs has {logProbs.Length} elements; expected {agents}.", nameof(logProbs));
        }
        if (deterministic)
        {
            logProbs.Fill((float)_logProbAtMean);
            return;
        }
        for (int a = 0; a < agents; a++)
        {
            Span<float> row = rawActions.Slice(a * ActionSize, ActionSize);
            double squares = 0;
            for (int j = 0; j < ActionSize; j++)
            {
                double z = rng.NextGaussian();
                row[j] += (float)(_std[j] * z);
                squares += z * z;
            }
            logProbs[a] = (float)(_logProbAtMean - 0.5 * squares);
        }
    }

    /// <summary>Mean actions μ(o) for N agents: [N · obs] → [N · act]. Returns N.</summary>
    public int EvaluateMean(ReadOnlySpan<float> observations, Span<float> means)
    {
        if (observations.Length % ObservationSize != 0)
        {
            throw new ArgumentException(
                $"observations has {observations.Length} elements, not a multiple of ObservationSize {ObservationSize}.", nameof(observations));
        }
        int agents = observations.Length / ObservationSize;
        if (agents > MaxAgents)
        {
            throw new ArgumentException($"{agents} agents exceed this runner's MaxAgents {MaxAgents}.", nameof(observations));
        }
        if (means.Length != agents * ActionSize)
        {
            throw new ArgumentException($"means has {means.Length} elements; expected {agents * ActionSize} for {agents} agents.", nameof(means));
        }
        if (agents == 0)
        {
            return 0;
        }
        Normalize(observations, agents);
        ReadOnlySpan<float> input = _normalized;
        float[] output = _bufferA;
        for (int layer = 0; layer < _layers.Length; layer++)
        {
            _layers[layer].Forward(input, output, agents, Width);
            input = output;
            output = output == _bufferA ? _bufferB : _bufferA;
        }
        int stride = _layers[^1].OutputStride;
        for (int a = 0; a < agents; a++)
        {
            input.Slice(a * stride, ActionSize).CopyTo(means.Slice(a * ActionSize, ActionSize));
        }
        return agents;
    }

    private void Normalize(ReadOnlySpan<float> observations, int agents)
    {
        float clip = _clip;
        for (int a = 0; a < agents; a++)
        {
            ReadOnlySpan<float> source = observations.Slice(a * ObservationSize, ObservationSize);
            Span<float> target = _normalized.AsSpan(a * ObservationSize, ObservationSize);
            for (int j = 0; j < ObservationSize; j++)
            {
                target[j] = Math.Clamp((source[j] - _observationMean[j]) * _observationInverseStd[j], -clip, clip);
            }
        }
    }
}
