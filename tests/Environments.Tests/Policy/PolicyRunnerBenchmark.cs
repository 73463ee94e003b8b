using System.Diagnostics;
using System.Runtime.Intrinsics.X86;
using MsMano.Contracts.Policy;
using MsMano.Environments.Policy;
using TorchSharp;

namespace MsMano.Environments.Tests.Policy;

/// <summary>Inference throughput of the pure C# runner against TorchSharp on the same batch and weights.</summary>
/// <param name="Agents">Agents per call (one simulation actor's batch).</param>
/// <param name="Iterations">Timed calls per path.</param>
/// <param name="CSharpMeanAgentStepsPerSecond">PolicyRunner.EvaluateMean throughput.</param>
/// <param name="CSharpActAgentStepsPerSecond">PolicyRunner.Act (with Gaussian sampling) throughput.</param>
/// <param name="TorchAgentStepsPerSecond">TorchSharp mean forward throughput (tensor in, floats out).</param>
/// <param name="Width">Kernel the runner used.</param>
/// <param name="Fma">Whether FMA was available.</param>
/// <param name="TorchThreads">TorchSharp intra-op threads.</param>
public sealed record PolicyRunnerBenchmarkResult(
    int Agents,
    int Iterations,
    double CSharpMeanAgentStepsPerSecond,
    double CSharpActAgentStepsPerSecond,
    double TorchAgentStepsPerSecond,
    VectorWidth Width,
    bool Fma,
    int TorchThreads)
{
    /// <summary>How many times faster the pure C# mean forward is than TorchSharp's.</summary>
    public double Ratio => CSharpMeanAgentStepsPerSecond / TorchAgentStepsPerSecond;
}

public static class PolicyRunnerBenchmark
{
    /// <summary>Times <paramref name="iterations"/> calls of each path after a warm-up; defaults to a random 192→256→256→31 IDNet.</summary>
    /// <param name="agents">Agents per call.</param>
    /// <param name="iterations">Timed calls per path.</param>
    /// <param name="snapshot">Weights; default a random IDNet.</param>
    /// <param name="torchThreads">
    /// TorchSharp intra-op threads for the baseline (restored afterwards); null keeps the current setting. The C# runner
    /// is single-threaded, so 1 is the like-for-like comparison.
    /// </param>
    /// <param name="width">C# kernel; null = the widest the CPU accelerates.</param>
    public static PolicyRunnerBenchmarkResult Run(int agents = 64, int iterations = 2000, PolicySnapshot? snapshot = null, int? torchThreads = 1, VectorWidth? width = null)
    {
        if (agents <= 0 || iterations <= 0)
        {
            throw new ArgumentException($"PolicyRunnerBenchmark needs positive agents and iterations, got {agents} and {iterations}.");
        }
        int previousThreads = torch.get_num_threads();
        if (torchThreads is { } threads)
        {
            torch.set_num_threads(threads);
        }
        try
        {
            return Measure(agents, iterations, snapshot, width);
        }
        finally
        {
            torch.set_num_threads(previousThreads);
        }
    }

    private static PolicyRunnerBenchmarkResult Measure(int agents, int iterations, PolicySnapshot? snapshot, VectorWidth? width)
    {
        snapshot ??= RandomPolicySnapshot.Create();
        var runner = new PolicyRunner(snapshot, agents, width);
        using var torchForward = new TorchPolicyForward(snapshot);
        var rng = new Random(3);
        float[] observations = new float[agents * snapshot.ObservationSize];
        for (int i = 0; i < observations.Length; i++)
        {
            observations[i] = (float)(rng.NextDouble() * 2 - 1);
        }
        float[] means = new float[agents * snapshot.ActionSize];
        float[] logProbs = new float[agents];
        var noise = new GaussianRng(7);
        int warmup = Math.Max(10, iterations / 10);

        for (int i = 0; i < warmup; i++)
        {
            runner.EvaluateMean(observations, means);
            runner.Act(observations, means, logProbs, deterministic: false, ref noise);
            torchForward.Forward(observations, means);
        }

        var stopwatch = Stopwatch.StartNew();
        for (int i = 0; i < iterations; i++)
        {
            runner.EvaluateMean(observations, means);
        }
        double meanSeconds = stopwatch.Elapsed.TotalSeconds;

        stopwatch.Restart();
        for (int i = 0; i < iterations; i++)
        {
            runner.Act(observations, means, logProbs, deterministic: false, ref noise);
        }
        double actSeconds = stopwatch.Elapsed.TotalSeconds;

        stopwatch.Restart();
        for (int i = 0; i < iterations; i++)
        {
            torchForward.Forward(observations, means);
        }
        double torchSeconds = stopwatch.Elapsed.TotalSeconds;

        double steps = (double)agents * iterations;
        return new PolicyRunnerBenchmarkResult(
            agents, iterations, steps / meanSeconds, steps / actSeconds, steps / torchSeconds,
            runner.Width, Fma.IsSupported, torch.get_num_threads());
    }
}
