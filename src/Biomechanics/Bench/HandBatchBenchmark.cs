using System.Diagnostics;
using MsMano.Biomechanics.Batch;
using MsMano.Biomechanics.Dynamics;

namespace MsMano.Biomechanics.Bench;

/// <summary>One measured configuration: agent-steps per second (one agent-step = one 20 ms control step).</summary>
public sealed record BatchThroughput(string Name, LaneWidth Width, int Threads, int AgentsPerBatch, double AgentStepsPerSecond, double MicrosecondsPerAgentStep);

/// <summary>Two plants measured in interleaved rounds on one core: agent-steps/s medians and the ratio B / A per round.</summary>
public sealed record PairedThroughput(double MedianA, double MedianB, double MedianRatio, double MinRatio, double MaxRatio, int Rounds);

/// <summary>The three measured configurations (scalar, SIMD on one core, SIMD on all cores) and the step they timed.</summary>
public sealed record BatchBenchmarkResult(
    BatchThroughput Scalar,
    BatchThroughput SimdOneCore,
    BatchThroughput SimdAllCores,
    int Substeps,
    float TimeStep)
{
    /// <summary>SIMD over the one-agent-at-a-time baseline, both on one core, measured in the same run.</summary>
    public double SimdSpeedup => SimdOneCore.AgentStepsPerSecond / Scalar.AgentStepsPerSecond;
    /// <summary>All cores over one core (both SIMD).</summary>
    public double CoreScaling => SimdAllCores.AgentStepsPerSecond / SimdOneCore.AgentStepsPerSecond;
    public double AllCoresOverScalar => SimdAllCores.AgentStepsPerSecond / Scalar.AgentStepsPerSecond;
}

/// <summary>
/// Throughput of <see cref="HandBatch"/> under random excitations: the scalar baseline, SIMD on one core, and SIMD on
/// every core (one batch per thread, as one simulation actor per core would run). Each figure is the median of
/// several timed rounds after a warm-up, so JIT tiering and a noisy neighbour affect it less.
/// </summary>
public static class HandBatchBenchmark
{
    public static BatchBenchmarkResult Run(HandPlant plant, int agents = 64, double secondsPerRound = 1.0, int rounds = 3, int? threads = null, SimulationSettings? settings = null)
    {
        settings ??= new SimulationSettings();
        int cores = threads ?? Environment.ProcessorCount;
        BatchThroughput scalar = Measure(plant, agents, LaneWidth.Scalar, 1, secondsPerRound, rounds, settings);
        BatchThroughput simd = Measure(plant, agents, LaneWidth.Auto, 1, secondsPerRound, rounds, settings);
        BatchThroughput all = Measure(plant, agents, LaneWidth.Auto, cores, secondsPerRound, rounds, settings);
        return new BatchBenchmarkResult(scalar, simd, all, settings.Substeps, settings.TimeStep);
    }

    public static BatchThroughput Measure(HandPlant plant, int agents, LaneWidth width, int threads, double secondsPerRound, int rounds, SimulationSettings settings)
    {
        HandBatch[] batches = Enumerable.Range(0, threads).Select(t => Prepare(plant, agents, width, settings, seed: 17 + t)).ToArray();
        // Warm-up: tiered JIT reaches the optimised, vectorised code.
        RunFor(batches, 0.3);
        var rates = new List<double>();
        for (int r = 0; r < rounds; r++)
        {
            (long steps, double seconds) = RunFor(batches, secondsPerRound);
            rates.Add(steps * (double)agents / seconds);
        }
        rates.Sort();
        double median = rates[rates.Count / 2];
        string name = width == LaneWidth.Scalar ? "scalar (1 agent at a time)" : $"SIMD x{(batches[0].Width == LaneWidth.Wide8 ? 8 : 1)}";
        return new BatchThroughput(name, batches[0].Width, threads, agents, median, 1e6 / median * threads);
    }

    /// <summary>
    /// Two plants on one core, their rounds interleaved (A B, then B A, ...) so a noisy neighbour or a clock change
    /// lands on both: the medians of each, and the median of the per-round ratios B / A.
    /// </summary>
    public static PairedThroughput MeasurePaired(HandPlant a, HandPlant b, int agents, double secondsPerRound, int rounds, SimulationSettings settings)
    {
        HandBatch[] first = [Prepare(a, agents, LaneWidth.Auto, settings, seed: 17)];
        HandBatch[] second = [Prepare(b, agents, LaneWidth.Auto, settings, seed: 17)];
        RunFor(first, 0.3);
        RunFor(second, 0.3);
        var ratesA = new List<double>();
        var ratesB = new List<double>();
        var ratios = new List<double>();
        for (int r = 0; r < rounds; r++)
        {
            double rateA = 0, rateB = 0;
            foreach (bool isA in r % 2 == 0 ? new[] { true, false } : [false, true])
            {
                (long steps, double seconds) = RunFor(isA ? first : second, secondsPerRound);
                double rate = steps * (double)agents / seconds;
                if (isA)
                {
                    rateA = rate;
                }
                else
                {
                    rateB = rate;
                }
            }
            ratesA.Add(rateA);
            ratesB.Add(rateB);
            ratios.Add(rateB / rateA);
        }
        return new PairedThroughput(Median(ratesA), Median(ratesB), Median(ratios), ratios.Min(), ratios.Max(), rounds);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        int n = sorted.Count;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }

    private static HandBatch Prepare(HandPlant plant, int agents, LaneWidth width, SimulationSettings settings, int seed)
    {
        var batch = new HandBatch(plant, agents, settings, width);
        var rng = new Random(seed);
        for (int m = 0; m < batch.MuscleCount; m++)
        {
            Span<float> u = batch.Excitations(m);
            for (int a = 0; a < u.Length; a++)
            {
                u[a] = (float)rng.NextDouble();
            }
        }
        return batch;
    }

    private static (long Steps, double Seconds) RunFor(HandBatch[] batches, double seconds)
    {
        long[] counts = new long[batches.Length];
        var clock = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(seconds);
        if (batches.Length == 1)
        {
            while (clock.Elapsed < deadline)
            {
                batches[0].Step();
                counts[0]++;
            }
        }
        else
        {
            Thread[] threads = batches.Select((b, i) => new Thread(() =>
            {
                while (clock.Elapsed < deadline)
                {
                    b.Step();
                    counts[i]++;
                }
            }) { IsBackground = true }).ToArray();
            foreach (Thread t in threads)
            {
                t.Start();
            }
            foreach (Thread t in threads)
            {
                t.Join();
            }
        }
        return (counts.Sum(), clock.Elapsed.TotalSeconds);
    }
}
