using System.Diagnostics;
using MsMano.Environments.Policy;
using MsMano.Learning.Ppo;
using TorchSharp;

namespace MsMano.Learning.Bench;

/// <summary>Timing of full PPO updates on one synthetic batch.</summary>
/// <param name="Device">Device the learner ran on.</param>
/// <param name="Transitions">Transitions per update.</param>
/// <param name="Runs">Timed updates (after one warm-up update).</param>
/// <param name="MedianSeconds">Median wall time of one update.</param>
/// <param name="MinSeconds">Fastest update.</param>
/// <param name="MaxSeconds">Slowest update.</param>
/// <param name="TorchThreads">TorchSharp intra-op threads in use.</param>
public sealed record PpoBenchmarkResult(
    string Device,
    int Transitions,
    int Runs,
    double MedianSeconds,
    double MinSeconds,
    double MaxSeconds,
    int TorchThreads)
{
    /// <summary>Transitions consumed per second of update time (median).</summary>
    public double TransitionsPerSecond => Transitions / MedianSeconds;
}

/// <summary>
/// Builds a synthetic batch shaped like the cluster's (128 actors × 64 agents × 2 steps = 16,384 transitions of
/// 192 → 31) and times complete <see cref="PpoLearner.Update"/> calls: normaliser, values, GAE, 4 epochs.
/// </summary>
public static class PpoBenchmark
{
    /// <param name="runs">Timed updates (median reported).</param>
    /// <param name="segments">Segments per batch (simulation actors).</param>
    /// <param name="agents">Agents per segment.</param>
    /// <param name="steps">Steps per segment.</param>
    /// <param name="config">Learner settings; default: the paper's, on the CPU.</param>
    /// <param name="torchThreads">
    /// TorchSharp intra-op threads for the run (restored afterwards); null keeps the current setting. On a shared,
    /// oversubscribed host one thread is much faster than spinning OpenMP workers.
    /// </param>
    public static PpoBenchmarkResult Run(int runs = 3, int segments = 128, int agents = 64, int steps = 2, PpoConfig? config = null, int? torchThreads = null)
    {
        if (runs <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(runs), runs, "PpoBenchmark needs at least one run.");
        }
        int previousThreads = torch.get_num_threads();
        if (torchThreads is { } threads)
        {
            torch.set_num_threads(threads);
        }
        try
        {
            return Measure(runs, segments, agents, steps, config);
        }
        finally
        {
            torch.set_num_threads(previousThreads);
        }
    }

    private static PpoBenchmarkResult Measure(int runs, int segments, int agents, int steps, PpoConfig? config)
    {
        PpoConfig cfg = config ?? new PpoConfig { Device = "cpu" };
        using var learner = new PpoLearner(cfg);
        IReadOnlyList<RolloutSegment> batch = SyntheticBatch(cfg, segments, agents, steps, seed: 12345);
        learner.Update(batch);

        double[] seconds = new double[runs];
        for (int r = 0; r < runs; r++)
        {
            var stopwatch = Stopwatch.StartNew();
            learner.Update(batch);
            seconds[r] = stopwatch.Elapsed.TotalSeconds;
        }
        Array.Sort(seconds);
        double median = runs % 2 == 1 ? seconds[runs / 2] : 0.5 * (seconds[runs / 2 - 1] + seconds[runs / 2]);
        return new PpoBenchmarkResult(
            learner.Device.type.ToString(), segments * agents * steps, runs, median, seconds[0], seconds[^1], torch.get_num_threads());
    }

    /// <summary>Random but well-formed segments: unit-normal observations and actions, consistent log-probs, rewards in [0, 1].</summary>
    public static IReadOnlyList<RolloutSegment> SyntheticBatch(PpoConfig config, int segments, int agents, int steps, int seed)
    {
        var rng = new Random(seed);
        var result = new List<RolloutSegment>(segments);
        int obs = config.ObservationSize;
        int act = config.ActionSize;
        for (int s = 0; s < segments; s++)
        {
            int n = steps * agents;
            float[] logProbs = new float[n];
            float[] actions = Normals(rng, n * act);
            for (int k = 0; k < n; k++)
            {
                double sum = 0;
                for (int j = 0; j < act; j++)
                {
                    double a = actions[k * act + j];
                    sum += -0.5 * a * a - 0.5 * Math.Log(2 * Math.PI);
                }
                logProbs[k] = (float)sum;
            }
            float[] rewards = new float[n];
            bool[] terminated = new bool[n];
            for (int k = 0; k < n; k++)
            {
                rewards[k] = (float)rng.NextDouble();
                terminated[k] = rng.NextDouble() < 0.01;
            }
            result.Add(new RolloutSegment
            {
                Steps = steps,
                Agents = agents,
                PolicyVersion = 0,
                Observations = Normals(rng, n * obs),
                Actions = actions,
                LogProbs = logProbs,
                Rewards = rewards,
                Terminated = terminated,
                Truncated = new bool[n],
                NextObservations = Normals(rng, agents * obs),
            });
        }
        return result;
    }

    private static float[] Normals(Random rng, int count)
    {
        float[] values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)rng.NextGaussian();
        }
        return values;
    }
}
