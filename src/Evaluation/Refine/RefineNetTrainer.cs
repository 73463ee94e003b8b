using MsMano.Evaluation.Metrics;
using Serilog;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MsMano.Evaluation.Refine;

/// <summary>Loss at a logged iteration.</summary>
public sealed record RefineTrainingPoint(int Iteration, double Loss);

/// <summary>
/// Trains <see cref="RefineNet"/> with Adam on minibatches drawn uniformly (with replacement) from the training
/// frames, against ground-truth poses (Eq. 10). Deterministic for a given seed on CPU.
/// </summary>
public static class RefineNetTrainer
{
    private static readonly ILogger Log = Serilog.Log.ForContext(typeof(RefineNetTrainer));

    /// <summary>
    /// predicted [N, 48], reference [N, 45 or 48], groundTruth [N, 48]. Returns the trained net and the loss
    /// history (every LogEvery iterations, plus the first and last). <paramref name="onIteration"/> is called after
    /// every iteration (progress bars); <paramref name="cancellation"/> is checked there too.
    /// </summary>
    public static (RefineNet Net, IReadOnlyList<RefineTrainingPoint> History) Train(
        ReadOnlySpan<float> predicted,
        ReadOnlySpan<float> reference,
        ReadOnlySpan<float> groundTruth,
        RefineNetOptions options,
        Action<int>? onIteration = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        float[] inputs = RefineNet.BuildInputs(predicted, reference, out int frames);
        if (frames == 0)
        {
            throw new ArgumentException("No training frames.", nameof(predicted));
        }

        if (groundTruth.Length != frames * ManoJoints.PoseSize)
        {
            throw new ArgumentException($"Ground truth has {groundTruth.Length} numbers for {frames} frames × 48.", nameof(groundTruth));
        }

        foreach (float v in inputs)
        {
            if (!float.IsFinite(v))
            {
                throw new ArgumentException("Training inputs contain a non-finite number.", nameof(predicted));
            }
        }

        Device device = options.Device switch
        {
            "cpu" => CPU,
            "cuda" => CUDA,
            _ => cuda.is_available() ? CUDA : CPU,
        };
        random.manual_seed(options.Seed);
        var net = new RefineNet(options.HiddenSize, device, options.Residual, options.Residual && options.ReferenceGain);
        var history = new List<RefineTrainingPoint>();
        using Tensor x = tensor(inputs, [frames, RefineNet.RowSize]).to(device);
        using Tensor y = tensor(groundTruth.ToArray(), [frames, ManoJoints.PoseSize]).to(device);
        using Adam optimizer = optim.Adam(net.TrainableParameters(), lr: options.LearningRate);
        // Held, not converted per call: an implicit Scalar can be finalized while libtorch reads it.
        using var tiny = 1e-12.ToScalar();
        using var generator = new Generator((ulong)options.Seed, CPU);
        net.Network.train();
        for (int iteration = 1; iteration <= options.Iterations; iteration++)
        {
            if (cancellation.IsCancellationRequested)
            {
                net.Dispose();
                cancellation.ThrowIfCancellationRequested();
            }

            using DisposeScope scope = NewDisposeScope();
            Tensor index = randint(frames, [options.BatchSize], generator: generator, dtype: int64).to(device);
            Tensor prediction = net.Forward(x.index_select(0, index));
            Tensor target = y.index_select(0, index);
            Tensor error = prediction - target;
            Tensor loss = options.Loss == RefineLoss.L2Norm
                ? (error * error).sum(1).add(tiny).sqrt().mean()
                : nn.functional.mse_loss(prediction, target);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            if (iteration == 1 || iteration % options.LogEvery == 0 || iteration == options.Iterations)
            {
                float value = loss.item<float>();
                history.Add(new RefineTrainingPoint(iteration, value));
                Log.Information("RefineNet iteration {Iteration}/{Total} loss {Loss:F5}", iteration, options.Iterations, value);
                if (!float.IsFinite(value))
                {
                    throw new InvalidOperationException($"RefineNet training diverged at iteration {iteration} (loss {value}); lower LearningRate ({options.LearningRate}).");
                }
            }

            onIteration?.Invoke(iteration);
        }

        net.Network.eval();
        return (net, history);
    }
}
