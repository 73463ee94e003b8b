using System.Diagnostics;
using MsMano.Contracts.Policy;
using MsMano.Environments.Policy;
using MsMano.Learning.Checkpoints;
using MsMano.Learning.DataParallel;
using MsMano.Learning.Devices;
using MsMano.Learning.Networks;
using MsMano.Learning.Optimizers;
using Serilog;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MsMano.Learning.Ppo;

/// <summary>
/// PPO on IDNet: owns the policy, the value net, Adam and the observation normaliser. Simulation nodes send
/// <see cref="RolloutSegment"/>s; <see cref="Update"/> turns one batch into new weights, <see cref="ExportPolicy"/>
/// publishes them. Not thread-safe: one actor drives it.
/// </summary>
public sealed class PpoLearner : IDisposable
{
    private readonly ILogger _log;
    private readonly IdNetPolicy _policy;
    private readonly ValueNetwork _value;
    private readonly Adam _optimizer;
    private readonly LossScalars _scalars;
    private readonly Parameter[] _parameters;
    private readonly string[] _parameterNames;
    private readonly UpdateGuard _guard;
    private (long PolicyVersion, long UpdateCount, long TotalTransitions)? _beforeUpdate;
    private RunningNormalizer _normalizer;
    private bool _disposed;

    private static readonly Lock s_initialisation = new();

    public PpoLearner(PpoConfig config, ILogger? logger = null)
    {
        Config = (config ?? throw new ArgumentNullException(nameof(config))).Validate();
        _log = (logger ?? Log.Logger).ForContext<PpoLearner>();
        Device = TorchDevices.Resolve(config.Device);

        // One seed fixes both initialisations; the shuffles derive their own seeds from it and the update count.
        // The lock makes seed-then-init atomic, so learners built on several threads of one process (in-process
        // data-parallel trainers) start from identical weights instead of interleaving torch's global generator.
        lock (s_initialisation)
        {
            random.manual_seed(config.Seed);
            _policy = new IdNetPolicy(config.ObservationSize, config.Hidden, config.ActionSize, config.InitialLogStd, config.InitialActionMean);
            _value = new ValueNetwork(config.ObservationSize, config.Hidden);
        }
        _policy.to(Device);
        _value.to(Device);
        _parameters = _policy.parameters().Concat(_value.parameters()).ToArray();
        _parameterNames = _policy.named_parameters().Select(p => "policy." + p.name)
            .Concat(_value.named_parameters().Select(p => "value." + p.name)).ToArray();
        _guard = new UpdateGuard(_parameters);
        // TorchSharp's optim.Adam factory defaults beta2 to 0.99; the constructor is explicit about PyTorch's 0.999.
        _optimizer = new HeldScalarAdam(_parameters, lr: config.LearningRate, beta1: 0.9, beta2: 0.999, eps: config.AdamEpsilon);
        _scalars = new LossScalars(config);
        _normalizer = new RunningNormalizer(config.ObservationSize, config.ObservationClip, config.ObservationEpsilon);
        LearningRate = config.LearningRate;
        _log.Information(
            "PPO learner on {Device}: obs {Obs}, act {Act}, hidden [{Hidden}], {Params} parameters",
            Device.type, config.ObservationSize, config.ActionSize, string.Join(",", config.Hidden),
            _parameters.Sum(p => p.numel()));
    }

    public PpoConfig Config { get; }

    public Device Device { get; }

    /// <summary>Version of the current weights; increments with every update.</summary>
    public long PolicyVersion { get; private set; }

    /// <summary>Updates done so far.</summary>
    public long UpdateCount { get; private set; }

    /// <summary>Transitions consumed so far.</summary>
    public long TotalTransitions { get; private set; }

    /// <summary>Current (KL-adapted) learning rate.</summary>
    public double LearningRate { get; private set; }

    public RunningNormalizer Normalizer => _normalizer;

    /// <summary>Updates refused by the <see cref="UpdateGuard"/> (non-finite loss, gradients or weights) since this learner started.</summary>
    public long RejectedUpdates => _guard.Rejected;

    internal IdNetPolicy Policy => _policy;

    internal ValueNetwork Value => _value;

    internal Adam Optimizer => _optimizer;

    /// <summary>
    /// One PPO update on a batch: validate every segment (NaN/Inf rejected), merge the observations into the
    /// normaliser, evaluate values, GAE per agent per segment, normalise advantages over the batch, then
    /// <see cref="PpoConfig.Epochs"/> passes of shuffled minibatch steps with the KL-adaptive learning rate.
    /// </summary>
    public UpdateStats Update(IReadOnlyList<RolloutSegment> segments)
    {
        return Update(segments, SoloReduce.Instance);
    }

    /// <summary>
    /// The same update with the batch split over a group (DD-PPO): this member holds one shard. Sizes, normaliser
    /// sums, advantage moments and every minibatch's gradients are summed over the group, and every member walks the
    /// same global permutation of the union batch, taking the rows of its own shard; so each member applies exactly
    /// the update the central learner would apply to the union, and the copies stay identical.
    /// </summary>
    /// <remarks>
    /// Guarded: an update whose loss, gradients or new weights are non-finite is undone (weights, Adam state,
    /// normaliser, learning rate and counters stay as before it), logged and counted in <see cref="RejectedUpdates"/>,
    /// and <see cref="UpdateRejectedException"/> is thrown, so the batch is dropped and training goes on. Over a group
    /// the test reads only group-wide numbers (the summed gradients' norm, the identical weights), so every member
    /// refuses the same update at the same step and the copies stay identical.
    /// </remarks>
    public UpdateStats Update(IReadOnlyList<RolloutSegment> segments, IAllReduce group)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _guard.Capture(_optimizer, _normalizer, LearningRate);
        _beforeUpdate = (PolicyVersion, UpdateCount, TotalTransitions);
        try
        {
            return UpdateUnguarded(segments, group);
        }
        catch (UpdateRejectedException ex)
        {
            (_normalizer, double learningRate) = _guard.Restore(_optimizer, ex.Reason);
            SetLearningRate(learningRate);
            _log.Warning("PPO update {Update} refused ({Reason}); the last good weights are kept ({Count} refused so far)",
                UpdateCount + 1, ex.Reason, _guard.Rejected);
            throw;
        }
    }

    private UpdateStats UpdateUnguarded(IReadOnlyList<RolloutSegment> segments, IAllReduce group)
    {
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(group);
        if (segments.Count == 0 && group.GroupSize == 1)
        {
            throw new ArgumentException("PpoLearner.Update needs at least one segment.", nameof(segments));
        }
        int obsSize = Config.ObservationSize;
        int actSize = Config.ActionSize;
        for (int s = 0; s < segments.Count; s++)
        {
            if (segments[s] is null)
            {
                throw new ArgumentException($"PpoLearner.Update: segments[{s}] is null.", nameof(segments));
            }
            segments[s].Validate(obsSize, actSize);
        }

        var stopwatch = Stopwatch.StartNew();
        var batch = RolloutBatch.Gather(segments, obsSize, actSize);
        var shard = ShardLayout.Exchange(group, batch.Transitions);
        MergeObservations(batch.Observations, batch.Transitions, group);

        using DisposeScope updateScope = NewDisposeScope();
        using var normalizer = new NormalizerTensors(_normalizer, Device);
        Tensor observations = normalizer.Apply(ToDevice(batch.Observations, batch.Transitions, obsSize));
        float[] values = batch.Transitions == 0 ? [] : EvaluateValues(observations);
        int nextRows = batch.NextObservations.Length / obsSize;
        float[] nextValues = nextRows == 0 ? [] : EvaluateValues(normalizer.Apply(ToDevice(batch.NextObservations, nextRows, obsSize)));
        float[] finalValues = EvaluateFinalValues(batch, normalizer);

        float[] advantages = new float[batch.Transitions];
        float[] returns = new float[batch.Transitions];
        int row = 0;
        int agentRow = 0;
        foreach (RolloutSegment segment in segments)
        {
            int n = segment.Transitions;
            GeneralizedAdvantage.Compute(
                segment.Steps, segment.Agents, Config.Gamma, Config.GaeLambda,
                segment.Rewards.Span, segment.Terminated.Span, segment.Truncated.Span,
                values.AsSpan(row, n), nextValues.AsSpan(agentRow, segment.Agents), finalValues.AsSpan(row, n),
                advantages.AsSpan(row, n), returns.AsSpan(row, n));
            row += n;
            agentRow += segment.Agents;
        }
        var moments = BatchMoments.Exchange(group, advantages, returns, values, batch.RewardSum);
        moments.NormalizeAdvantages(advantages);

        Tensor actions = ToDevice(batch.Actions, batch.Transitions, actSize);
        Tensor oldLogProbs = ToDevice(batch.LogProbs, batch.Transitions);
        Tensor advantageTensor = ToDevice(advantages, batch.Transitions);
        Tensor returnTensor = ToDevice(returns, batch.Transitions);
        Tensor oldValueTensor = ToDevice(values, batch.Transitions);

        var totals = new LossTotals();
        double lastEpochKl = 0;
        GradientExchange? gradients = group.GroupSize > 1 ? new GradientExchange(_parameters) : null;
        // Batches overshoot the configured size by a chunk or two: spread the rows over the nominal number of
        // minibatches rather than add a tiny noisy one (and, over a group, one more all-reduce) per epoch.
        int minibatches = Math.Max(1, (int)Math.Round((double)shard.Total / Config.MinibatchSize));
        int minibatchSize = Math.Max(1, (shard.Total + minibatches - 1) / minibatches);
        for (int epoch = 0; epoch < Config.Epochs; epoch++)
        {
            long[] order = Shuffle(shard.Total, epoch);
            double epochKl = 0;
            int epochSteps = 0;
            for (int start = 0; start < shard.Total; start += minibatchSize)
            {
                int count = Math.Min(minibatchSize, shard.Total - start);
                using DisposeScope minibatchScope = NewDisposeScope();
                using Tensor index = tensor(shard.LocalRows(order.AsSpan(start, count)), dtype: int64).to(Device);
                MinibatchResult step = MinibatchStep(
                    observations.index_select(0, index), actions.index_select(0, index),
                    oldLogProbs.index_select(0, index), advantageTensor.index_select(0, index),
                    returnTensor.index_select(0, index), oldValueTensor.index_select(0, index), count, group, gradients);
                totals.Add(step);
                epochKl += step.ApproxKl;
                epochSteps++;
            }
            lastEpochKl = epochKl / epochSteps;
            if (Config.AdaptiveLearningRate)
            {
                SetLearningRate(KlAdaptiveLearningRate.Next(
                    LearningRate, lastEpochKl, Config.TargetKl, Config.MinLearningRate, Config.MaxLearningRate));
            }
        }

        _guard.CheckParameters(i => _parameterNames[i]);
        long maxLag = segments.Count == 0 ? 0 : segments.Max(s => PolicyVersion - s.PolicyVersion);
        PolicyVersion++;
        UpdateCount++;
        TotalTransitions += shard.Total;
        stopwatch.Stop();
        var stats = new UpdateStats(
            UpdateCount, PolicyVersion, totals.Mean(totals.PolicyLoss), totals.Mean(totals.ValueLoss),
            totals.Mean(totals.Entropy), lastEpochKl, totals.Mean(totals.ClipFraction), moments.ExplainedVariance, LearningRate,
            totals.Mean(totals.GradNorm), moments.MeanReward, shard.Total, stopwatch.Elapsed.TotalSeconds, maxLag);
        _log.Debug("PPO update {Stats}", stats);
        return stats;
    }

    /// <summary>
    /// Puts the learner back as it was before the last <see cref="Update(IReadOnlyList{RolloutSegment}, IAllReduce)"/>
    /// (weights, Adam state, normaliser, learning rate, counters) from the copy the guard took anyway: a data-parallel
    /// member undoes an update its group abandoned without serialising its whole state before every update.
    /// </summary>
    public void RevertLastUpdate()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_beforeUpdate is not { } before)
        {
            throw new InvalidOperationException("PpoLearner.RevertLastUpdate: no update to revert (none ran, or the state was replaced since).");
        }
        (_normalizer, double learningRate) = _guard.PutBack(_optimizer);
        SetLearningRate(learningRate);
        (PolicyVersion, UpdateCount, TotalTransitions) = before;
        _beforeUpdate = null;
    }

    /// <summary>
    /// A hash of everything that must match across data-parallel copies: every weight, the normaliser, the
    /// learning rate and the counters. Equal hashes mean the copies would act and learn identically.
    /// </summary>
    public string StateHash()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (Parameter parameter in _parameters)
        {
            sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(ToFloats(parameter).AsSpan()));
        }
        sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_normalizer.Mean));
        sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_normalizer.Variance));
        Span<double> scalars = [_normalizer.Count, LearningRate, PolicyVersion, UpdateCount, TotalTransitions];
        sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(scalars));
        return Convert.ToHexStringLower(sha.GetHashAndReset().AsSpan(0, 8));
    }

    /// <summary>The inference-only model at the current version: normaliser, mean MLP and log-std.</summary>
    public PolicySnapshot ExportPolicy()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var tensors = new List<TensorBlob>
        {
            TensorBlob.FromFloats(PolicySnapshot.ObservationMeanName, [Config.ObservationSize], _normalizer.MeanAsFloats()),
            TensorBlob.FromFloats(PolicySnapshot.ObservationVarianceName, [Config.ObservationSize], _normalizer.VarianceAsFloats()),
            TensorBlob.FromFloats(PolicySnapshot.ObservationClipName, [1], [(float)_normalizer.Clip]),
            TensorBlob.FromFloats(PolicySnapshot.ObservationEpsilonName, [1], [(float)_normalizer.Epsilon]),
            TensorBlob.FromFloats(PolicySnapshot.LogStdName, [Config.ActionSize], ToFloats(_policy.LogStd)),
        };
        IList<Linear> layers = _policy.MeanNetwork.Layers;
        for (int i = 0; i < layers.Count; i++)
        {
            Parameter weight = layers[i].weight!;
            tensors.Add(TensorBlob.FromFloats(
                PolicySnapshot.WeightName(i), [(int)weight.shape[0], (int)weight.shape[1]], ToFloats(weight)));
            tensors.Add(TensorBlob.FromFloats(
                PolicySnapshot.BiasName(i), [(int)weight.shape[0]], ToFloats(layers[i].bias!)));
        }
        var snapshot = new PolicySnapshot(
            PolicyVersion, Config.ObservationSize, Config.ActionSize, Config.Hidden.ToArray(), tensors.ToArray());
        snapshot.Validate();
        return snapshot;
    }

    /// <summary>Writes a resumable checkpoint under <paramref name="directory"/> (atomic; see <see cref="CheckpointStore"/>).</summary>
    public string SaveCheckpoint(string directory)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return CheckpointStore.Save(this, directory);
    }

    /// <summary>Restores weights, Adam state, normaliser, learning rate and counters from the latest checkpoint.</summary>
    public void LoadCheckpoint(string directory)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckpointStore.Load(this, directory);
    }

    /// <summary>Restores from the newest checkpoint under <paramref name="root"/> that verifies; false when there is none.</summary>
    public bool ResumeFromNewestCheckpoint(string root)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return CheckpointStore.LoadNewest(this, root) is not null;
    }

    internal void RestoreState(RunningNormalizer normalizer, double learningRate, long policyVersion, long updateCount, long totalTransitions)
    {
        if (normalizer.Size != Config.ObservationSize)
        {
            throw new InvalidDataException($"Checkpoint normaliser has size {normalizer.Size}; the learner expects {Config.ObservationSize}.");
        }
        _normalizer = normalizer;
        SetLearningRate(learningRate);
        _beforeUpdate = null;
        PolicyVersion = policyVersion;
        UpdateCount = updateCount;
        TotalTransitions = totalTransitions;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _guard.Dispose();
        _optimizer.Dispose();
        _scalars.Dispose();
        _policy.Dispose();
        _value.Dispose();
    }

    // Losses are sums over this member's rows divided by the global minibatch size, and the (state-independent)
    // entropy is weighted by this member's share, so the group's summed gradient is the union minibatch's gradient.
    private MinibatchResult MinibatchStep(
        Tensor observations, Tensor actions, Tensor oldLogProbs, Tensor advantages, Tensor returns, Tensor oldValues,
        int globalCount, IAllReduce group, GradientExchange? gradients)
    {
        long localCount = observations.shape[0];
        Tensor mean = _policy.forward(observations);
        Tensor logProbs = _policy.LogProb(mean, actions);
        Tensor logRatio = logProbs - oldLogProbs;
        Tensor ratio = logRatio.exp();
        Tensor clipped = ratio.clamp(_scalars.RatioLow, _scalars.RatioHigh);
        Tensor policySum = -minimum(ratio * advantages, clipped * advantages).sum();

        Tensor predicted = _value.forward(observations);
        Tensor valueSum;
        if (Config.ValueClipRange is { } valueClip)
        {
            Tensor predictedClipped = oldValues + (predicted - oldValues).clamp(_scalars.ValueLow!, _scalars.ValueHigh!);
            Tensor error = predicted - returns, clippedError = predictedClipped - returns;
            valueSum = maximum(error * error, clippedError * clippedError).sum();
        }
        else
        {
            Tensor error = predicted - returns;
            valueSum = (error * error).sum();
        }
        Tensor entropy = _policy.Entropy();
        double share = (double)localCount / globalCount;
        using Scalar count = globalCount.ToScalar(), entropyWeight = (Config.EntropyCoef * share).ToScalar();
        Tensor loss = (policySum + valueSum.mul(_scalars.ValueCoef)).div(count) - entropy.mul(entropyWeight);

        _optimizer.zero_grad();
        loss.backward();
        double klSum;
        double clipSum;
        double policyTotal;
        double valueTotal;
        using (no_grad())
        {
            using Tensor excess = ratio.sub(_scalars.One);
            klSum = (excess - logRatio).sum().item<float>();
            clipSum = excess.abs().gt(_scalars.ClipRange).to_type(float32).sum().item<float>();
            policyTotal = policySum.item<float>();
            valueTotal = valueSum.item<float>();
        }
        if (gradients is not null)
        {
            Span<float> extras = stackalloc float[] { (float)klSum, (float)clipSum, (float)policyTotal, (float)valueTotal };
            gradients.SumOverGroup(group, extras);
            (klSum, clipSum, policyTotal, valueTotal) = (extras[0], extras[1], extras[2], extras[3]);
        }
        double gradNorm = nn.utils.clip_grad_norm_(_parameters, Config.MaxGradNorm);
        // A member's own loss is not group-wide; the summed gradients' norm is, so only it decides over a group.
        UpdateGuard.RejectIfNonFinite(gradients is null ? loss.item<float>() : 0.0, gradNorm);
        _optimizer.step();

        return new MinibatchResult(
            policyTotal / globalCount, valueTotal / globalCount, entropy.item<float>(), klSum / globalCount, clipSum / globalCount, gradNorm);
    }

    // Sums shifted by the running mean (known identically to every member) keep the one-pass variance exact enough
    // in double, and turn the normaliser's batch merge into a plain sum over the group.
    private void MergeObservations(float[] observations, int rows, IAllReduce group)
    {
        int size = Config.ObservationSize;
        double[] sums = new double[1 + 2 * size];
        sums[0] = rows;
        ReadOnlySpan<double> shift = _normalizer.Mean;
        for (int r = 0; r < rows; r++)
        {
            Span<float> x = observations.AsSpan(r * size, size);
            for (int j = 0; j < size; j++)
            {
                double d = x[j] - shift[j];
                sums[1 + j] += d;
                sums[1 + size + j] += d * d;
            }
        }
        group.Sum(sums);
        double count = sums[0];
        if (count == 0)
        {
            return;
        }
        double[] mean = new double[size];
        double[] variance = new double[size];
        for (int j = 0; j < size; j++)
        {
            double meanShift = sums[1 + j] / count;
            mean[j] = shift[j] + meanShift;
            variance[j] = Math.Max(0.0, sums[1 + size + j] / count - meanShift * meanShift);
        }
        _normalizer.Merge(count, mean, variance);
    }

    private float[] EvaluateValues(Tensor normalizedObservations)
    {
        using IDisposable _ = no_grad();
        using Tensor values = _value.forward(normalizedObservations);
        using Tensor cpuValues = values.cpu();
        return cpuValues.data<float>().ToArray();
    }

    private float[] EvaluateFinalValues(RolloutBatch batch, NormalizerTensors normalizer)
    {
        float[] finalValues = new float[batch.Transitions];
        if (batch.FinalRows.Length == 0 || batch.Transitions == 0)
        {
            return finalValues;
        }
        float[] values = EvaluateValues(normalizer.Apply(ToDevice(batch.FinalObservations, batch.FinalRows.Length, Config.ObservationSize)));
        for (int k = 0; k < batch.FinalRows.Length; k++)
        {
            finalValues[batch.FinalRows[k]] = values[k];
        }
        return finalValues;
    }

    private void SetLearningRate(double learningRate)
    {
        LearningRate = learningRate;
        foreach (optim.ILearningRateController group in _optimizer.ParamGroups)
        {
            group.LearningRate = learningRate;
        }
    }

    private long[] Shuffle(int count, int epoch)
    {
        // Seeded from (seed, update, epoch) rather than a running RNG so a resumed run shuffles identically.
        var rng = new Random(unchecked(Config.Seed * 1_000_003 + (int)UpdateCount * 7_919 + epoch));
        long[] order = new long[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }
        for (int i = count - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    private Tensor ToDevice(float[] values, long rows, long columns)
    {
        Tensor host = tensor(values, [rows, columns], dtype: float32);
        return Device.type == DeviceType.CPU ? host : host.to(Device);
    }

    private Tensor ToDevice(float[] values, long rows)
    {
        Tensor host = tensor(values, [rows], dtype: float32);
        return Device.type == DeviceType.CPU ? host : host.to(Device);
    }

    private static float[] ToFloats(Tensor t)
    {
        using Tensor cpuCopy = t.detach().cpu().contiguous();
        return cpuCopy.data<float>().ToArray();
    }

    private readonly record struct MinibatchResult(
        double PolicyLoss, double ValueLoss, double Entropy, double ApproxKl, double ClipFraction, double GradNorm);

    private sealed class LossTotals
    {
        public int Steps;
        public double PolicyLoss;
        public double ValueLoss;
        public double Entropy;
        public double ClipFraction;
        public double GradNorm;

        public void Add(MinibatchResult r)
        {
            Steps++;
            PolicyLoss += r.PolicyLoss;
            ValueLoss += r.ValueLoss;
            Entropy += r.Entropy;
            ClipFraction += r.ClipFraction;
            GradNorm += r.GradNorm;
        }

        public double Mean(double total) => Steps == 0 ? 0.0 : total / Steps;
    }
}
